#include "geofence/fence.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace liandong::geofence {
namespace {

std::string ring_name(size_t ring) {
  return ring == 0 ? std::string("outer ring") : "hole " + std::to_string(ring - 1);
}

// Closes the ring, drops consecutive repeats and checks what a single ring can
// get wrong.
core::Status normalize_ring(std::vector<core::LonLat> &r, size_t ring, std::string_view field) {
  const std::string where = std::string(field) + " " + ring_name(ring);
  if (r.size() > kMaxRingVertices)
    return core::invalid(where + " has " + std::to_string(r.size()) +
                             " vertices, more than the limit of " +
                             std::to_string(kMaxRingVertices),
                         std::string(field));
  for (size_t i = 0; i < r.size(); ++i) {
    const auto &p = r[i];
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lon < -180 || p.lon > 180 ||
        p.lat < -90 || p.lat > 90)
      return core::invalid(where + " vertex " + std::to_string(i) +
                               " is not a finite lon/lat within -180..180, -90..90",
                           std::string(field));
  }
  std::vector<core::LonLat> out;
  out.reserve(r.size() + 1);
  for (const auto &p : r)
    if (out.empty() || !(out.back() == p)) out.push_back(p);
  while (out.size() > 1 && out.back() == out.front()) out.pop_back();
  if (out.size() < 3)
    return core::invalid(
        where + " has " + std::to_string(out.size()) + " distinct points; a ring needs at least 3",
        std::string(field));
  double area2 = 0;  // shoelace, relative to the first point for precision
  for (size_t i = 1; i + 1 < out.size(); ++i)
    area2 += (out[i].lon - out[0].lon) * (out[i + 1].lat - out[0].lat) -
             (out[i + 1].lon - out[0].lon) * (out[i].lat - out[0].lat);
  if (area2 == 0)
    return core::invalid(where + " has zero area (its points are collinear)", std::string(field));
  out.push_back(out.front());
  r = std::move(out);
  return core::Status::ok();
}

struct Seg {
  core::LonLat a, b;
  double min_x, max_x;
  uint32_t ring, index, ring_edges;
};

// Sign of the turn a→b→c: +1 left, −1 right, 0 collinear (exact for the doubles
// given up to rounding of the products; good enough to find real crossings, not
// touching points).
int orient(const core::LonLat &a, const core::LonLat &b, const core::LonLat &c) {
  double v = (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

bool adjacent(const Seg &s, const Seg &t) {
  if (s.ring != t.ring) return false;
  uint32_t d = s.index > t.index ? s.index - t.index : t.index - s.index;
  return d == 1 || d == s.ring_edges - 1;
}

// Proper crossing: each segment's ends strictly on both sides of the other.
bool crosses(const Seg &s, const Seg &t) {
  int o1 = orient(s.a, s.b, t.a), o2 = orient(s.a, s.b, t.b);
  int o3 = orient(t.a, t.b, s.a), o4 = orient(t.a, t.b, s.b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

// Sweep over edges sorted by their west end: each is compared with the edges
// starting before its east end. O(n log n + pairs overlapping in longitude).
core::Status check_crossings(const Polygon &p, std::string_view field) {
  std::vector<Seg> segs;
  auto add = [&](const std::vector<core::LonLat> &r, uint32_t ring) {
    uint32_t n = static_cast<uint32_t>(r.size() - 1);
    for (uint32_t i = 0; i < n; ++i)
      segs.push_back({r[i], r[i + 1], std::min(r[i].lon, r[i + 1].lon),
                      std::max(r[i].lon, r[i + 1].lon), ring, i, n});
  };
  add(p.outer, 0);
  for (size_t h = 0; h < p.holes.size(); ++h) add(p.holes[h], static_cast<uint32_t>(h + 1));
  std::sort(segs.begin(), segs.end(), [](const Seg &x, const Seg &y) { return x.min_x < y.min_x; });
  for (size_t i = 0; i < segs.size(); ++i) {
    const Seg &s = segs[i];
    double s_min_y = std::min(s.a.lat, s.b.lat), s_max_y = std::max(s.a.lat, s.b.lat);
    for (size_t j = i + 1; j < segs.size() && segs[j].min_x <= s.max_x; ++j) {
      const Seg &t = segs[j];
      if (std::max(t.a.lat, t.b.lat) < s_min_y || std::min(t.a.lat, t.b.lat) > s_max_y) continue;
      if (adjacent(s, t) || !crosses(s, t)) continue;
      const Seg &first = (s.ring < t.ring || (s.ring == t.ring && s.index < t.index)) ? s : t;
      const Seg &second = &first == &s ? t : s;
      return core::invalid(std::string(field) + " intersects itself: " + ring_name(first.ring) +
                               " edge " + std::to_string(first.index) + " crosses " +
                               ring_name(second.ring) + " edge " + std::to_string(second.index),
                           std::string(field));
    }
  }
  return core::Status::ok();
}

}  // namespace

core::Status normalize_polygon(Polygon &p, std::string_view field) {
  if (p.holes.size() > kMaxHoles)
    return core::invalid(std::string(field) + " has " + std::to_string(p.holes.size()) +
                             " holes, more than the limit of " + std::to_string(kMaxHoles),
                         std::string(field));
  size_t total = p.outer.size();
  for (const auto &h : p.holes) total += h.size();
  if (total > kMaxPolygonVertices)
    return core::invalid(std::string(field) + " has " + std::to_string(total) +
                             " vertices, more than the limit of " +
                             std::to_string(kMaxPolygonVertices),
                         std::string(field));
  LD_RETURN_IF_ERROR(normalize_ring(p.outer, 0, field));
  for (size_t h = 0; h < p.holes.size(); ++h)
    LD_RETURN_IF_ERROR(normalize_ring(p.holes[h], h + 1, field));
  double lo = 180, hi = -180;
  for (const auto &v : p.outer) lo = std::min(lo, v.lon), hi = std::max(hi, v.lon);
  if (hi - lo > 180)
    return core::invalid(std::string(field) +
                             " spans more than 180 degrees of longitude "
                             "(crossing the antimeridian is not "
                             "supported)",
                         std::string(field));
  return check_crossings(p, field);
}

core::Status normalize_fence(Fence &f, std::string_view field) {
  const std::string base(field);
  if (f.id.empty()) return core::invalid(base + ": the fence id is empty", base + ".id");
  if (f.rules.dwell && f.rules.dwell->count() <= 0)
    return core::invalid(base + ": rules.dwell must be positive", base + ".rules.dwell_s");
  if (f.rules.speed_above_kmh &&
      (!std::isfinite(*f.rules.speed_above_kmh) || *f.rules.speed_above_kmh <= 0 ||
       *f.rules.speed_above_kmh > 100'000))
    return core::invalid(base +
                             ": rules.speed_above_kmh must be a finite "
                             "speed above 0 (and at most 100000)",
                         base + ".rules.speed_above_kmh");
  for (size_t i = 0; i < f.object_kinds.size(); ++i)
    if (f.object_kinds[i].empty())
      return core::invalid(base + ": object_kinds[" + std::to_string(i) + "] is empty",
                           base + ".object_kinds[" + std::to_string(i) + "]");
  return normalize_polygon(f.area, base + ".area");
}

}  // namespace liandong::geofence
