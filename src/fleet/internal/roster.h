// The fleet's own picture of the units: what dispatch needs from each unit record (type, area,
// capabilities, status) and where the unit is (newest fix, its place on the road graph, or its
// station). Indexed densely by the unit's id sequence − 1, like the engine's records.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/geo.h"
#include "fleet/fleet.h"
#include "routing/place.h"

namespace liandong::fleet::internal {

struct Tracked {
  bool known = false;  // a unit record has been read
  std::string id;
  std::string call_sign;
  std::string type;
  uint32_t group = routing::kInvalid;  // index of `type` in the unit types, or kInvalid
  std::string jurisdiction;
  uint32_t area = 0;  // index of `jurisdiction` in Roster::areas
  std::string agency_id;
  std::string station_id;
  std::vector<std::string> capabilities;  // sorted
  std::string status;
  bool dispatchable = false;

  std::optional<Fix> fix;               // the newest fix applied
  std::optional<core::LonLat> station;  // the station's location, if it has one
  routing::Place place;                 // where it stands on the graph (invalid: not routable)
  routing::Place indexed_place;         // where the routing index has it (within the drift of `place`)
  bool place_from_fix = false;
  bool in_index = false;
  bool counted_unplaced = false;  // counted in Roster::unplaced
};

struct Roster {
  std::vector<Tracked> units;
  std::vector<std::string> areas;  // distinct jurisdiction codes of the units
  uint32_t unplaced = 0;           // dispatchable units not on the road graph

  uint32_t area_of(const std::string& code) {
    for (uint32_t i = 0; i < areas.size(); ++i)
      if (areas[i] == code) return i;
    areas.push_back(code);
    return uint32_t(areas.size() - 1);
  }
};

// Where a tracked unit is shown (fix, else station), stale when its fix is older than
// `stale_after` at `now` (or it has none).
UnitPosition position_of(const Tracked& t, core::Timestamp now, core::Millis stale_after);

}  // namespace liandong::fleet::internal
