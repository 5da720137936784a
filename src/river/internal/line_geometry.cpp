#include "river/internal/line_geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace liandong::river::internal {

double line_length_m(std::span<const core::LonLat> line) {
  double total = 0;
  for (size_t i = 1; i < line.size(); ++i) total += core::distance_m(line[i - 1], line[i]);
  return total;
}

Projection project(std::span<const core::LonLat> line, const core::LonLat& p) {
  constexpr double kMetresPerDegree = 6371008.8 * M_PI / 180.0;
  const double kx = kMetresPerDegree * std::cos(p.lat * M_PI / 180.0), ky = kMetresPerDegree;
  Projection best;
  best.distance_m = std::numeric_limits<double>::infinity();
  double before = 0;  // line metres before segment i
  for (size_t i = 1; i < line.size(); ++i) {
    double ax = (line[i - 1].lon - p.lon) * kx, ay = (line[i - 1].lat - p.lat) * ky;
    double bx = (line[i].lon - p.lon) * kx, by = (line[i].lat - p.lat) * ky;
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
    double cx = ax + t * dx, cy = ay + t * dy;
    double d = std::hypot(cx, cy);
    double seg = core::distance_m(line[i - 1], line[i]);
    if (d < best.distance_m) {
      best.distance_m = d;
      best.along_m = before + t * seg;
    }
    before += seg;
  }
  best.line_m = before;
  return best;
}

core::LonLat point_at(std::span<const core::LonLat> line, double fraction) {
  if (line.size() == 1) return line[0];
  double target = std::clamp(fraction, 0.0, 1.0) * line_length_m(line);
  double before = 0;
  for (size_t i = 1; i < line.size(); ++i) {
    double seg = core::distance_m(line[i - 1], line[i]);
    if (before + seg >= target && seg > 0) {
      double t = (target - before) / seg;
      return {line[i - 1].lon + t * (line[i].lon - line[i - 1].lon),
              line[i - 1].lat + t * (line[i].lat - line[i - 1].lat)};
    }
    before += seg;
  }
  return line.back();
}

}  // namespace liandong::river::internal
