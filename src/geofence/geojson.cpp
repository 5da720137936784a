#include "geofence/geojson.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>

namespace liandong::geofence {
namespace {

using nlohmann::json;

constexpr double kMaxDwellSeconds = 366.0 * 24 * 3600;  // a year

core::Status bad(const std::string &field, const std::string &what) {
  return core::invalid(field + ": " + what, field);
}

core::Status read_ring(const json &j, const std::string &field, std::vector<core::LonLat> &out) {
  if (!j.is_array()) return bad(field, "a ring must be an array of [lon, lat] positions");
  if (j.size() > kMaxRingVertices)
    return bad(field, "has " + std::to_string(j.size()) + " positions, more than the limit of " +
                          std::to_string(kMaxRingVertices));
  out.reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    const json &p = j[i];
    if (!p.is_array() || p.size() < 2 || p.size() > 3 || !p[0].is_number() || !p[1].is_number())
      return bad(field + "[" + std::to_string(i) + "]",
                 "a position must be [lon, lat] or [lon, lat, altitude] numbers");
    out.push_back({p[0].get<double>(), p[1].get<double>()});
  }
  return core::Status::ok();
}

core::Status read_geometry(const json &feature, const std::string &field, Polygon &poly) {
  auto g = feature.find("geometry");
  if (g == feature.end() || !g->is_object())
    return bad(field + ".geometry", "missing or not an object");
  auto type = g->find("type");
  if (type == g->end() || !type->is_string())
    return bad(field + ".geometry.type", "missing or not a string");
  if (*type != "Polygon")
    return bad(field + ".geometry.type",
               "is \"" + type->get<std::string>() + "\"; only \"Polygon\" is supported");
  auto c = g->find("coordinates");
  if (c == g->end() || !c->is_array() || c->empty())
    return bad(field + ".geometry.coordinates", "must be a non-empty array of rings");
  if (c->size() - 1 > kMaxHoles)
    return bad(field + ".geometry.coordinates",
               "has more than " + std::to_string(kMaxHoles) + " holes");
  const std::string cf = field + ".geometry.coordinates";
  LD_RETURN_IF_ERROR(read_ring((*c)[0], cf + "[0]", poly.outer));
  poly.holes.resize(c->size() - 1);
  for (size_t r = 1; r < c->size(); ++r)
    LD_RETURN_IF_ERROR(read_ring((*c)[r], cf + "[" + std::to_string(r) + "]", poly.holes[r - 1]));
  return normalize_polygon(poly, field + ".geometry");
}

core::Status read_rules(const json &j, const std::string &field, FenceRules &r) {
  if (!j.is_object()) return bad(field, "must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string &key = it.key();
    const std::string kf = field + "." + key;
    const json &v = it.value();
    if (key == "on_enter" || key == "on_exit") {
      if (!v.is_boolean()) return bad(kf, "must be true or false");
      (key == "on_enter" ? r.on_enter : r.on_exit) = v.get<bool>();
    } else if (key == "dwell_s") {
      if (!v.is_number()) return bad(kf, "must be a number of seconds");
      double s = v.get<double>();
      if (!std::isfinite(s) || s <= 0 || s > kMaxDwellSeconds)
        return bad(kf, "must be more than 0 and at most " +
                           std::to_string(int64_t(kMaxDwellSeconds)) + " seconds");
      r.dwell = core::Millis(std::max<int64_t>(1, std::llround(s * 1000)));
    } else if (key == "speed_above_kmh") {
      if (!v.is_number()) return bad(kf, "must be a number of km/h");
      double s = v.get<double>();
      if (!std::isfinite(s) || s <= 0 || s > 100'000)
        return bad(kf, "must be more than 0 and at most 100000 km/h");
      r.speed_above_kmh = s;
    } else {
      return bad(kf, "unknown rule (known: on_enter, on_exit, dwell_s, speed_above_kmh)");
    }
  }
  return core::Status::ok();
}

core::Status optional_string(const json &props, const char *key, const std::string &field,
                             std::string &out) {
  auto it = props.find(key);
  if (it == props.end() || it->is_null()) return core::Status::ok();
  if (!it->is_string()) return bad(field + "." + key, "must be a string");
  out = it->get<std::string>();
  return core::Status::ok();
}

core::Result<Fence> read_feature(const json &j, const std::string &field) {
  if (!j.is_object()) return bad(field, "a feature must be an object");
  auto type = j.find("type");
  if (type == j.end() || *type != "Feature") return bad(field + ".type", "must be \"Feature\"");
  Fence f;
  auto props = j.find("properties");
  if (props == j.end() || !props->is_object())
    return bad(field + ".properties", "missing or not an object");
  const std::string pf = field + ".properties";
  LD_RETURN_IF_ERROR(optional_string(*props, "id", pf, f.id));
  if (f.id.empty()) {  // fall back to the feature's own id
    auto id = j.find("id");
    if (id != j.end() && id->is_string()) f.id = id->get<std::string>();
    if (id != j.end() && id->is_number_integer()) f.id = std::to_string(id->get<int64_t>());
  }
  if (f.id.empty())
    return bad(pf + ".id",
               "missing: each fence needs a non-empty id "
               "(properties.id or the feature's id)");
  LD_RETURN_IF_ERROR(optional_string(*props, "name", pf, f.name));
  LD_RETURN_IF_ERROR(optional_string(*props, "kind", pf, f.kind));
  if (auto r = props->find("rules"); r != props->end())
    LD_RETURN_IF_ERROR(read_rules(*r, pf + ".rules", f.rules));
  if (auto k = props->find("object_kinds"); k != props->end() && !k->is_null()) {
    if (!k->is_array()) return bad(pf + ".object_kinds", "must be an array of strings");
    for (size_t i = 0; i < k->size(); ++i) {
      const json &s = (*k)[i];
      if (!s.is_string() || s.get_ref<const std::string &>().empty())
        return bad(pf + ".object_kinds[" + std::to_string(i) + "]", "must be a non-empty string");
      f.object_kinds.push_back(s.get<std::string>());
    }
  }
  LD_RETURN_IF_ERROR(read_geometry(j, field, f.area));
  return f;
}

core::Result<json> parse(std::string_view text, const char *what) {
  if (text.size() > kMaxGeoJsonBytes)
    return core::Status(core::Code::kTooLarge,
                        std::string(what) + " is " + std::to_string(text.size()) +
                            " bytes, more than the limit of " + std::to_string(kMaxGeoJsonBytes));
  try {
    return json::parse(text);
  } catch (const json::parse_error &e) {
    return core::invalid(std::string(what) + " is not valid JSON at byte " +
                         std::to_string(e.byte) + ": " + e.what());
  } catch (const std::exception &e) {  // e.g. nesting too deep for the parser
    return core::invalid(std::string(what) + " could not be parsed: " + e.what());
  }
}

}  // namespace

core::Result<Fence> fence_from_geojson(std::string_view feature_text) {
  auto j = parse(feature_text, "the feature");
  if (!j) return j.status();
  return read_feature(*j, "feature");
}

core::Result<std::vector<Fence>> fences_from_geojson(std::string_view text) {
  auto j = parse(text, "the GeoJSON");
  if (!j) return j.status();
  if (!j->is_object() || j->value("type", json()) != "FeatureCollection")
    return bad("type",
               "the document must be a GeoJSON object of \"type\": "
               "\"FeatureCollection\"");
  auto features = j->find("features");
  if (features == j->end() || !features->is_array())
    return bad("features", "missing or not an array");
  if (features->size() > kMaxFences)
    return bad("features", std::to_string(features->size()) + " features, more than the limit of " +
                               std::to_string(kMaxFences));
  std::vector<Fence> out;
  out.reserve(features->size());
  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < features->size(); ++i) {
    const std::string field = "features[" + std::to_string(i) + "]";
    auto f = read_feature((*features)[i], field);
    if (!f) return f.status();
    if (!ids.insert(f->id).second)
      return bad(field + ".properties.id", "duplicate fence id \"" + f->id + "\"");
    out.push_back(std::move(*f));
  }
  return out;
}

}  // namespace liandong::geofence
