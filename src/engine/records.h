// The records of the live state: alarms and incidents (agencies, stations and units are in
// unit_records.h). Plain immutable-once-stored values; the engine replaces a record to change it.
//
// to_json gives the API form (docs/API.md); to_journal_json the journal's and snapshots' form of
// alarms and incidents (the same object without what is derived or at its default); from_json
// reads either and fails with kInvalidArgument on a malformed record.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/geo.h"
#include "core/status.h"
#include "core/time.h"
#include "engine/unit_records.h"
#include "taxonomy/grade_rules.h"

namespace liandong::engine {

using taxonomy::Figures;

// Incident life-cycle (docs/API.md).
inline constexpr const char* kStatusReported = "reported";
inline constexpr const char* kStatusVerified = "verified";
inline constexpr const char* kStatusResponding = "responding";
inline constexpr const char* kStatusContained = "contained";
inline constexpr const char* kStatusClosed = "closed";
inline constexpr const char* kStatusCancelled = "cancelled";

bool is_incident_status(std::string_view s);
bool is_final_status(std::string_view s);
// Forward moves along reported → verified → responding → contained → closed (skipping allowed),
// and cancelled from any open status.
bool is_valid_transition(std::string_view from, std::string_view to);

struct Caller {
  std::string name;
  std::string number;
  bool operator==(const Caller&) const = default;
};

struct Alarm {
  std::string id;
  std::string jurisdiction;
  std::string channel;
  core::Timestamp reported_at{};
  core::Timestamp received_at{};
  std::optional<Caller> caller;
  std::optional<core::LonLat> location;
  std::string address;
  core::Category category{};
  std::string type;
  std::string description;
  Figures figures;
  std::string incident_id;            // current incident ("" once closed as nuisance alone)
  std::string first_incident_id;      // the answer given when it was reported
  bool first_joined = false;
  std::string nuisance_reason;        // non-empty: closed as nuisance
  std::string idempotency_key;
  std::string by;
  bool operator==(const Alarm&) const = default;
};

struct GradeEntry {
  std::string kind;  // "proposed" | "confirmed"
  core::Grade grade{};
  std::string by;
  core::Timestamp at{};
  std::string reason;
  std::string criterion;
  bool operator==(const GradeEntry&) const = default;
};

struct TimelineEntry {
  uint64_t seq = 0;
  core::Timestamp time{};
  std::string type;
  std::string by;
  std::string summary;
  bool operator==(const TimelineEntry&) const = default;
};

struct Incident {
  std::string id;
  std::string jurisdiction;
  std::string status = kStatusReported;
  core::Category category{};
  std::string type;
  core::Priority priority = core::Priority::kP3;
  std::string title;
  std::string description;
  std::optional<core::LonLat> location;
  std::string address;
  Figures figures;
  std::optional<core::Grade> proposed_grade;
  std::optional<core::Grade> confirmed_grade;
  std::vector<GradeEntry> grade_history;
  std::vector<std::string> alarm_ids;
  core::Timestamp opened_at{};
  core::Timestamp updated_at{};
  core::Timestamp last_alarm_at{};
  std::optional<core::Timestamp> closed_at;
  std::string merged_into;
  std::vector<TimelineEntry> timeline;
  std::vector<Assignment> assignments;  // every unit sent, in dispatch order (ended ones kept)
  bool exercise = false;                // a drill's incident: no real unit is sent, nothing leaves the node
  bool operator==(const Incident&) const = default;
};

nlohmann::json to_json(const Figures& f);
core::Result<Figures> figures_from_json(const nlohmann::json& j, std::string_view field);
nlohmann::json to_json(const core::LonLat& p);
core::Result<core::LonLat> lonlat_from_json(const nlohmann::json& j, std::string_view field);

nlohmann::json to_json(const Alarm& a);
nlohmann::json to_json(const Incident& i, bool with_timeline);
// The journal's form (alarm.received, incident.opened, snapshots): to_json's object without the
// derived members (`located`, an alarm's `status`, an incident's `alarm_count`) and without those
// at their default, which from_json restores: a null caller, nuisance reason, location, closing
// time or merge; an empty address or description; figures all zero; `first_joined` false; an
// incident's grade with nothing proposed, confirmed or in its history; no assignments. A third to
// a half smaller for a fresh alarm and incident, which every commit writes and fsyncs.
nlohmann::json to_journal_json(const Alarm& a);
nlohmann::json to_journal_json(const Incident& i, bool with_timeline);

core::Result<Alarm> alarm_from_json(const nlohmann::json& j);
core::Result<Incident> incident_from_json(const nlohmann::json& j);

}  // namespace liandong::engine
