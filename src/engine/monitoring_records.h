// The records of monitoring in the live state (issue "Monitoring and early warning"): monitoring
// stations with the parameters they measure and their current condition, warnings with their
// life-cycle, tracked objects and geofences, and the river network. Readings and position fixes are
// telemetry (not here); what they cause — a detector firing, a fence hit — is journaled and lands
// in these records. Plain values; the engine replaces a record to change it. to_json gives the API
// and snapshot form (docs/API.md); from_json is its inverse and fails with kInvalidArgument on a
// malformed record.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "core/time.h"

namespace liandong::river {
class Network;
}

namespace liandong::engine {

// A parameter a station measures.
struct StationParameter {
  std::string code;  // snake_case: cadmium, ammonia_nitrogen, symptom_count, water_level ...
  std::string unit;  // mg/L, m, count ...
  int64_t interval_s = 0;  // expected sampling interval; 0 = irregular (no missing-data detector)
  std::optional<double> max_rate_per_hour;  // rate-of-change detector, off when absent
  uint32_t flat_line_count = 0;              // flat-line detector, off when 0
};

// What a detector says now about one parameter of a station (from the detector events).
struct Condition {
  std::string parameter;
  std::string detector;  // threshold, rate, flat_line, missing, ears_c1 ...
  std::string level;     // the series' warning level: "" | blue | yellow | orange | red
  core::Timestamp since{};
  double value = 0;
  double score = 0;
  double limit = 0;
  std::string reason;
};

struct MonitoringStation {
  std::string id;  // 441300-MON-3
  std::string jurisdiction;
  std::string name;
  std::string kind;      // water_quality | hydrology | weather | syndromic | school_absence | air | ...
  std::string sampling;  // automatic | manual
  std::string operator_name;  // who runs it (an agency or organisation)
  core::LonLat location;
  int target_class = 3;  // the GB 3838 class the water must meet (water quality stations)
  bool drinking_water_source = false;
  std::string river_site;  // the site of the river network where it stands, or ""
  bool counts = false;     // a count stream (syndromic, school absences): EARS and CUSUM apply
  std::vector<StationParameter> parameters;
  bool active = true;
  std::vector<Condition> conditions;  // firing detectors, one per parameter at most

  const StationParameter* parameter(std::string_view code) const;
  // The worst level among the conditions ("" when none fires).
  std::string level() const;
};

struct WarningStep {
  std::string action;  // raised | confirmed | issued | updated | lifted | linked | cleared
  std::string level;
  std::string by;
  core::Timestamp at{};
  std::string note;
};

struct Warning {
  std::string id;  // 441300-WRN-7
  std::string jurisdiction;
  std::string level;   // blue | yellow | orange | red
  std::string status;  // raised | confirmed | issued | lifted
  std::string source;  // detector | manual | geofence
  std::string title;
  std::string description;
  std::string type;  // an incident type the warning is about (e.g. water_pollution), or ""
  std::optional<core::LonLat> location;
  std::string station_id;  // detector warnings
  std::string parameter;
  std::string detector;
  std::string fence_id;  // geofence warnings
  std::string object_id;
  double value = 0;
  double score = 0;
  double limit = 0;
  bool condition_active = false;  // the detector still fires
  std::string incident_id;        // opened from it or attached to it
  core::Timestamp raised_at{};
  core::Timestamp updated_at{};
  std::vector<WarningStep> steps;  // oldest first
  bool open() const { return status != "lifted"; }
};

struct TrackedObject {
  std::string id;  // 441300-TRK-2
  std::string jurisdiction;
  std::string kind;  // hazmat_vehicle | vessel | ...
  std::string name;  // plate, ship name
  std::string operator_name;
};

struct FenceRecord {
  std::string id;  // 441300-FEN-1
  std::string jurisdiction;
  std::string name;
  std::string kind;  // restricted_zone | water_source_protection | ...
  nlohmann::json area;   // GeoJSON Polygon geometry
  bool on_enter = false;
  bool on_exit = false;
  std::optional<int64_t> dwell_s;
  std::optional<double> speed_above_kmh;
  std::vector<std::string> object_kinds;  // empty: all
  std::string warning_level;  // hits raise a warning of this level, or "" (events only)
  bool active = true;
  uint64_t hits = 0;
  std::optional<core::Timestamp> last_hit_at;
};

// The river network the node predicts on (one per node; loading replaces it).
struct RiverRecord {
  std::string source;  // the GeoJSON as loaded
  std::shared_ptr<const river::Network> network;
  std::string by;
  core::Timestamp loaded_at{};
  size_t reaches = 0;
  size_t sites = 0;
};

nlohmann::json to_json(const StationParameter& p);
nlohmann::json to_json(const MonitoringStation& s);
nlohmann::json to_json(const Warning& w);
nlohmann::json to_json(const TrackedObject& o);
nlohmann::json to_json(const FenceRecord& f);

core::Result<StationParameter> station_parameter_from_json(const nlohmann::json& j);
core::Result<MonitoringStation> monitoring_station_from_json(const nlohmann::json& j);
core::Result<Warning> warning_from_json(const nlohmann::json& j);
core::Result<TrackedObject> tracked_object_from_json(const nlohmann::json& j);
core::Result<FenceRecord> fence_from_json(const nlohmann::json& j);

// Levels in order of gravity: 0 for "", 1 blue ... 4 red; -1 for anything else.
int level_rank(std::string_view level);

}  // namespace liandong::engine
