#include "watch/fences.h"

#include <cmath>

namespace liandong::watch {

using nlohmann::json;

namespace {

core::Result<std::vector<core::LonLat>> ring_from(const json& ring, const std::string& field) {
  if (!ring.is_array()) return core::invalid("a ring is an array of [lon, lat] positions", field);
  if (ring.size() > geofence::kMaxRingVertices)
    return core::invalid("a ring has at most " + std::to_string(geofence::kMaxRingVertices) + " positions", field);
  std::vector<core::LonLat> out;
  out.reserve(ring.size());
  for (size_t i = 0; i < ring.size(); ++i) {
    const json& p = ring[i];
    std::string at = field + "[" + std::to_string(i) + "]";
    if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
      return core::invalid("a position is [lon, lat]", at);
    core::LonLat ll{p[0].get<double>(), p[1].get<double>()};
    LD_RETURN_IF_ERROR(core::validate(ll, at));
    out.push_back(ll);
  }
  return out;
}

}  // namespace

core::Result<geofence::Polygon> polygon_from_geojson(const json& geometry, std::string_view field) {
  std::string f(field);
  if (!geometry.is_object() || geometry.value("type", "") != "Polygon")
    return core::invalid("the area is a GeoJSON Polygon geometry ({\"type\":\"Polygon\",\"coordinates\":[...]})", f);
  auto c = geometry.find("coordinates");
  if (c == geometry.end() || !c->is_array() || c->empty())
    return core::invalid("a Polygon needs coordinates: an outer ring, then any holes", f + ".coordinates");
  if (c->size() > geofence::kMaxHoles + 1) return core::invalid("too many holes", f + ".coordinates");
  geofence::Polygon poly;
  for (size_t r = 0; r < c->size(); ++r) {
    auto ring = ring_from((*c)[r], f + ".coordinates[" + std::to_string(r) + "]");
    if (!ring) return ring.status();
    if (r == 0) poly.outer = std::move(*ring);
    else poly.holes.push_back(std::move(*ring));
  }
  LD_RETURN_IF_ERROR(geofence::normalize_polygon(poly, f));
  return poly;
}

core::Result<geofence::Fence> to_fence(const engine::FenceRecord& record) {
  auto poly = polygon_from_geojson(record.area);
  if (!poly) return poly.status();
  geofence::Fence f;
  f.id = record.id;
  f.name = record.name;
  f.kind = record.kind;
  f.area = std::move(*poly);
  f.rules.on_enter = record.on_enter;
  f.rules.on_exit = record.on_exit;
  if (record.dwell_s) f.rules.dwell = core::Millis(*record.dwell_s * 1000);
  f.rules.speed_above_kmh = record.speed_above_kmh;
  f.object_kinds = record.object_kinds;
  return f;
}

}  // namespace liandong::watch
