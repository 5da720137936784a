// Positions along a reach's polyline: a point's offset along the line, and the point at an offset.
// Distances on the line are geodesic (core::distance_m) and scaled to the reach's length_m, which
// may differ from the drawn line's length.
#pragma once

#include <span>

#include "core/geo.h"

namespace liandong::river::internal {

struct Projection {
  double along_m = 0;     // distance along the line to the nearest point, in line metres
  double line_m = 0;      // the line's total length
  double distance_m = 0;  // from the point to the nearest point of the line
};

// The nearest point of `line` (at least 2 points) to `p`, by a local equirectangular projection.
Projection project(std::span<const core::LonLat> line, const core::LonLat& p);

// The point `fraction` (0..1) of the way along `line` (at least 1 point).
core::LonLat point_at(std::span<const core::LonLat> line, double fraction);

// Geodesic length of a polyline.
double line_length_m(std::span<const core::LonLat> line);

}  // namespace liandong::river::internal
