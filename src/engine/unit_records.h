// The registry records of dispatch: agencies, stations, units, and a unit's part in an incident
// (Assignment). Plain values; the engine replaces a record to change it. to_json gives the API and
// snapshot form (docs/API.md); from_json is its inverse and fails with kInvalidArgument on a
// malformed record.
//
// A unit's live position is telemetry (the fleet), not part of this record: the record holds what
// the journal says — identity, capabilities, status with its time, and the incident it serves.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "core/time.h"

namespace liandong::engine {

struct Agency {
  std::string id;
  std::string jurisdiction;
  std::string name;
  std::string kind;  // "110", "119", "120", "122", "health", "environment", ...
};

struct Station {
  std::string id;
  std::string jurisdiction;
  std::string name;
  std::string agency_id;
  core::LonLat location;
};

// One status change of a unit (the record keeps the last kUnitHistory; the journal keeps all).
struct StatusChange {
  std::string status;
  core::Timestamp at{};
  std::string incident_id;  // the incident it served then, or ""
  std::string by;
  std::string reason;
};
inline constexpr size_t kUnitHistory = 20;

struct Unit {
  std::string id;
  std::string jurisdiction;
  std::string call_sign;
  std::string type;  // a shared unit type (core::default_unit_types(), extendable)
  std::string agency_id;
  std::string station_id;
  std::vector<std::string> capabilities;  // sorted, unique: "breathing_apparatus", "aerial_32m", "als"
  uint32_t crew = 0;
  std::string status = "available";  // a shared unit status (core::unit_statuses())
  core::Timestamp status_since{};
  std::string incident_id;            // while dispatched … at_hospital, else ""
  std::vector<StatusChange> history;  // oldest first, at most kUnitHistory
};

// A unit's part in an incident, from dispatch to clearing. The times are those of the journal
// events (or the time the unit reported, when a status change carried one).
struct Assignment {
  std::string unit_id;
  std::string call_sign;  // copies, so intervals and the timeline read without the unit record
  std::string unit_type;
  std::string agency_id;
  core::Timestamp dispatched_at{};
  std::optional<core::Timestamp> en_route_at;
  std::optional<core::Timestamp> on_scene_at;
  std::optional<core::Timestamp> cleared_at;
  std::string ended;                // "" while active; "cleared", "recalled", "reassigned"
  std::optional<uint32_t> eta_s;    // the road ETA shown when it was dispatched, if any
  bool recommended = false;         // sent as part of a recommendation
  std::string mutual_aid_rule;      // non-empty: sent under this mutual-aid rule
  bool active() const { return ended.empty(); }
  bool operator==(const Assignment&) const = default;
};

nlohmann::json to_json(const Agency& a);
nlohmann::json to_json(const Station& s);
nlohmann::json to_json(const Unit& u);
nlohmann::json to_json(const Assignment& a);

core::Result<Agency> agency_from_json(const nlohmann::json& j);
core::Result<Station> station_from_json(const nlohmann::json& j);
core::Result<Unit> unit_from_json(const nlohmann::json& j);
core::Result<Assignment> assignment_from_json(const nlohmann::json& j);

}  // namespace liandong::engine
