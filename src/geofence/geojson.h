// Fences from GeoJSON (RFC 7946): a Feature with a Polygon geometry and the
// fence's properties, or a FeatureCollection of them. The format is in
// docs/GEOFENCE.md "GeoJSON".
//
// Pure functions. On any problem they return kInvalidArgument (kTooLarge for
// text over kMaxGeoJsonBytes) with a message and field naming the feature index
// and property, e.g. "features[3].properties.rules.dwell_s"; no feature is
// dropped silently. Polygons come back normalized (normalize_polygon).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geofence/fence.h"

namespace liandong::geofence {

inline constexpr size_t kMaxGeoJsonBytes = size_t(256) << 20;

// One GeoJSON Feature (its text). Errors name "feature.…".
core::Result<Fence> fence_from_geojson(std::string_view feature_text);

// A FeatureCollection; fence ids must be unique within it. Errors name
// "features[i].…".
core::Result<std::vector<Fence>> fences_from_geojson(std::string_view text);

}  // namespace liandong::geofence
