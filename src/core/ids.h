// Identifiers: "{node jurisdiction code}-{kind}-{sequence}", e.g. "441200-INC-42".
//
// Assigned by the engine from its own counters (no clock, no randomness), so they are unique
// across nodes because node codes are. Id<Tag> is a strong type over the string form so an
// IncidentId cannot be passed where an AlarmId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace liandong::core {

struct ParsedId {
  std::string node;  // six-digit node code
  std::string kind;  // "INC", "ALM", ...
  uint64_t seq = 0;
};

// Splits "441200-INC-42". Fails with kInvalidArgument when the form is wrong.
Result<ParsedId> parse_id(std::string_view text);
std::string format_id(std::string_view node, std::string_view kind, uint64_t seq);

template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string v) : v_(std::move(v)) {}
  const std::string& str() const { return v_; }
  bool empty() const { return v_.empty(); }
  auto operator<=>(const Id&) const = default;

 private:
  std::string v_;
};

using AlarmId = Id<struct AlarmTag>;
using IncidentId = Id<struct IncidentTag>;
using UnitId = Id<struct UnitTag>;
using AgencyId = Id<struct AgencyTag>;
using StationId = Id<struct StationTag>;

// Kinds named by the contracts.
inline constexpr std::string_view kKindAlarm = "ALM";
inline constexpr std::string_view kKindIncident = "INC";
inline constexpr std::string_view kKindUnit = "UNT";
inline constexpr std::string_view kKindStation = "STN";
inline constexpr std::string_view kKindAgency = "AGY";
inline constexpr std::string_view kKindPerson = "USR";
inline constexpr std::string_view kKindKey = "KEY";
inline constexpr std::string_view kKindSession = "SES";
inline constexpr std::string_view kKindPlan = "PLN";
inline constexpr std::string_view kKindActivation = "ACT";
inline constexpr std::string_view kKindTask = "TSK";
inline constexpr std::string_view kKindNotification = "NTF";
// Monitoring stations: "STN" already names the stations units stand at (issue "Dispatch").
inline constexpr std::string_view kKindMonitoringStation = "MON";
inline constexpr std::string_view kKindWarning = "WRN";
inline constexpr std::string_view kKindTrackedObject = "TRK";
inline constexpr std::string_view kKindFence = "FEN";
inline constexpr std::string_view kKindAlert = "ALR";
inline constexpr std::string_view kKindSubscriber = "SUB";
inline constexpr std::string_view kKindFeed = "FED";
inline constexpr std::string_view kKindReport = "RPT";
inline constexpr std::string_view kKindObligation = "OBL";

}  // namespace liandong::core

template <typename Tag>
struct std::hash<liandong::core::Id<Tag>> {
  size_t operator()(const liandong::core::Id<Tag>& id) const noexcept {
    return std::hash<std::string>{}(id.str());
  }
};
