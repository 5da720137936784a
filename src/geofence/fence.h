// The fence model: WGS-84 polygons with holes, the rules a fence applies to
// tracked objects, and the polygon validation every entry point (GeoJSON,
// FenceIndex::build) runs (docs/GEOFENCE.md).
//
// Plain values, thread-compatible. Coordinates are degrees, lon/lat, planar
// within a fence (a fence spans at most 180 degrees of longitude; crossing the
// antimeridian is not supported).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geo.h"
#include "core/status.h"
#include "core/time.h"

namespace liandong::geofence {

// Rings may be given closed (last point == first) or open; normalize_polygon
// closes them.
struct Polygon {
  std::vector<core::LonLat> outer;
  std::vector<std::vector<core::LonLat>> holes;
};

struct FenceRules {
  bool on_enter = false;
  bool on_exit = false;
  std::optional<core::Millis> dwell;      // inside longer than this (strictly), > 0
  std::optional<double> speed_above_kmh;  // inside faster than this (strictly), finite, > 0
  bool any() const { return on_enter || on_exit || dwell || speed_above_kmh; }
};

struct Fence {
  std::string id;
  std::string name;
  std::string kind;  // "restricted_zone", "water_source_protection", ...
  Polygon area;
  FenceRules rules;
  std::vector<std::string> object_kinds;  // empty = every kind; e.g. "hazmat_vehicle", "vessel"
};

// Limits against absurd input.
inline constexpr size_t kMaxRingVertices = 1'000'000;
inline constexpr size_t kMaxPolygonVertices = 2'000'000;  // all rings together
inline constexpr size_t kMaxHoles = 10'000;
inline constexpr size_t kMaxFences = 1'000'000;

// Validates `p` and rewrites it in canonical form: every ring closed (last
// point == first), consecutive repeated points removed. Fails with
// kInvalidArgument naming `field` (e.g. "features[3].geometry") and the
// ring/vertex at fault when: a coordinate is not finite or out of range; a ring
// has fewer than 3 distinct points or zero area; a size limit above is
// exceeded; the outer ring spans more than 180 degrees of longitude; two edges
// of the polygon (any rings) cross properly (self-intersection is an ERROR, not
// a warning). Edges that only touch at a point or overlap along a line are
// accepted.
core::Status normalize_polygon(Polygon &p, std::string_view field);

// Validates a whole fence (id non-empty, rules: dwell > 0, speed finite and >
// 0, kinds non-empty strings) and normalizes its polygon. `field` prefixes the
// names in errors (e.g. "fences[2]").
core::Status normalize_fence(Fence &f, std::string_view field);

}  // namespace liandong::geofence
