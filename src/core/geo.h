// WGS-84 positions and the little geometry the engine needs (distances, boxes, a grid index key).
#pragma once

#include <optional>

#include "core/status.h"

namespace liandong::core {

struct LonLat {
  double lon = 0;
  double lat = 0;
  bool operator==(const LonLat&) const = default;
};

// Validates ranges (lon −180..180, lat −90..90, finite). `field` names the input on failure.
Status validate(const LonLat& p, std::string_view field);

// Great-circle distance in metres (haversine on a sphere of radius 6 371 008.8 m).
double distance_m(const LonLat& a, const LonLat& b);

struct BBox {
  double min_lon, min_lat, max_lon, max_lat;
  bool contains(const LonLat& p) const {
    return p.lon >= min_lon && p.lon <= max_lon && p.lat >= min_lat && p.lat <= max_lat;
  }
};

// Parses "minLon,minLat,maxLon,maxLat".
Result<BBox> parse_bbox(std::string_view text, std::string_view field = "bbox");

}  // namespace liandong::core
