// The geofence side of the watch: fence records (engine) as geofence::Fence values.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "engine/monitoring_records.h"
#include "geofence/fence.h"

namespace liandong::watch {

// A GeoJSON Polygon geometry ({"type":"Polygon","coordinates":[outer, holes...]}, positions
// [lon, lat]) as a normalised polygon. kInvalidArgument naming the position ("area.coordinates[0][3]")
// when it is not one, or what geofence::normalize_polygon refuses.
core::Result<geofence::Polygon> polygon_from_geojson(const nlohmann::json& geometry, std::string_view field = "area");

// A fence record as the geofence library's fence (its area re-read from the record's GeoJSON).
core::Result<geofence::Fence> to_fence(const engine::FenceRecord& record);

}  // namespace liandong::watch
