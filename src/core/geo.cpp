#include "core/geo.h"

#include <charconv>
#include <cmath>
#include <string>

namespace liandong::core {

Status validate(const LonLat& p, std::string_view field) {
  if (!std::isfinite(p.lon) || p.lon < -180 || p.lon > 180)
    return invalid("longitude must be a number from -180 to 180", std::string(field) + ".lon");
  if (!std::isfinite(p.lat) || p.lat < -90 || p.lat > 90)
    return invalid("latitude must be a number from -90 to 90", std::string(field) + ".lat");
  return Status::ok();
}

double distance_m(const LonLat& a, const LonLat& b) {
  constexpr double kR = 6371008.8;
  constexpr double kRad = M_PI / 180.0;
  double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kR * std::asin(std::min(1.0, std::sqrt(h)));
}

Result<BBox> parse_bbox(std::string_view s, std::string_view field) {
  double v[4];
  size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    size_t end = s.find(',', pos);
    if ((i < 3) != (end != std::string_view::npos))
      return invalid("bbox must be minLon,minLat,maxLon,maxLat", std::string(field));
    auto part = s.substr(pos, end == std::string_view::npos ? s.size() - pos : end - pos);
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), v[i]);
    if (part.empty() || ec != std::errc{} || ptr != part.data() + part.size())
      return invalid("bbox must be four numbers: minLon,minLat,maxLon,maxLat", std::string(field));
    pos = end + 1;
  }
  BBox b{v[0], v[1], v[2], v[3]};
  if (!(b.min_lon <= b.max_lon && b.min_lat <= b.max_lat) || !std::isfinite(v[0] + v[1] + v[2] + v[3]))
    return invalid("bbox minimum must not exceed maximum", std::string(field));
  return b;
}

}  // namespace liandong::core
