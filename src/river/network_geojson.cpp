// Network::from_geojson and Network::to_geojson (the format is in docs/RIVER.md).
#include <cmath>

#include "river/internal/describe.h"
#include "river/internal/line_geometry.h"
#include "river/network.h"

namespace liandong::river {
namespace {

using internal::feature_name;
using internal::property_field;
using nlohmann::json;

constexpr size_t kMaxDepth = 16;

const json& null_json() {
  static const json kNull;
  return kNull;
}
// A point without offset_m farther than this from its reach's line is refused, not snapped.
constexpr double kMaxSnapM = 1000;

// The deepest nesting of arrays and objects, counted no further than kMaxDepth + 1 (so a hostile
// document cannot drive nlohmann's recursive parser into the stack limit).
size_t depth(std::string_view text) {
  size_t d = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++d);
      if (deepest > kMaxDepth) return deepest;
    } else if ((c == ']' || c == '}') && d > 0) {
      --d;
    }
  }
  return deepest;
}

// Reads the properties of feature `f`; each failure names the feature and the property.
class Props {
 public:
  Props(const json& p, size_t f, std::string kind) : p_(p), f_(f), kind_(std::move(kind)) {}
  void set_id(std::string id) { id_ = std::move(id); }

  core::Status str(const char* key, std::string& out) const {
    auto it = p_.find(key);
    if (it == p_.end() || it->is_null()) return core::Status::ok();
    if (!it->is_string()) return bad(key, "must be a string");
    out = it->get<std::string>();
    if (out.size() > 4096) return bad(key, "is longer than 4096 bytes");
    return core::Status::ok();
  }
  core::Status opt_str(const char* key, std::optional<std::string>& out) const {
    if (!p_.contains(key) || p_[key].is_null()) return core::Status::ok();
    std::string s;
    LD_RETURN_IF_ERROR(str(key, s));
    out = std::move(s);
    return core::Status::ok();
  }
  core::Status num(const char* key, std::optional<double>& out) const {
    auto it = p_.find(key);
    if (it == p_.end() || it->is_null()) return core::Status::ok();
    if (!it->is_number()) return bad(key, "must be a number");
    out = it->get<double>();
    if (!std::isfinite(*out)) return bad(key, "must be finite");
    return core::Status::ok();
  }
  core::Status bad(std::string_view key, std::string_view what) const {
    return core::invalid(
        feature_name(f_, kind_, id_) + ": " + std::string(key) + " " + std::string(what),
        property_field(f_, key));
  }

 private:
  const json& p_;
  size_t f_;
  std::string kind_, id_;
};

core::Status geometry_error(size_t f, std::string_view id, std::string_view kind,
                            std::string_view what) {
  return core::invalid(feature_name(f, kind, id) + ": " + std::string(what),
                       "features[" + std::to_string(f) + "].geometry");
}

std::optional<core::LonLat> position(const json& c) {
  if (!c.is_array() || c.size() < 2 || !c[0].is_number() || !c[1].is_number()) return std::nullopt;
  core::LonLat p{c[0].get<double>(), c[1].get<double>()};
  if (!core::validate(p, "coordinates").is_ok()) return std::nullopt;
  return p;
}

core::Result<Reach> read_reach(const json& feature, const json& props, size_t f) {
  Reach r;
  Props p(props, f, "reach");
  LD_RETURN_IF_ERROR(p.str("id", r.id));
  if (r.id.empty() && feature.contains("id") && feature["id"].is_string())
    r.id = feature["id"].get<std::string>();
  p.set_id(r.id);
  LD_RETURN_IF_ERROR(p.str("name", r.name));
  LD_RETURN_IF_ERROR(p.str("river", r.river));
  std::optional<double> length;
  LD_RETURN_IF_ERROR(p.num("length_m", length));
  LD_RETURN_IF_ERROR(p.num("velocity_mps", r.velocity_mps));
  LD_RETURN_IF_ERROR(p.num("flow_m3s", r.flow_m3s));
  LD_RETURN_IF_ERROR(p.num("area_m2", r.area_m2));
  LD_RETURN_IF_ERROR(p.num("width_m", r.width_m));
  LD_RETURN_IF_ERROR(p.num("depth_m", r.depth_m));
  LD_RETURN_IF_ERROR(p.num("slope", r.slope));
  LD_RETURN_IF_ERROR(p.num("dispersion_m2s", r.dispersion_m2s));
  LD_RETURN_IF_ERROR(p.str("downstream", r.downstream));
  LD_RETURN_IF_ERROR(p.str("jurisdiction", r.jurisdiction));

  const json& g = feature.contains("geometry") ? feature["geometry"] : null_json();
  if (!g.is_null()) {
    if (!g.is_object() || g.value("type", "") != "LineString" || !g.contains("coordinates") ||
        !g["coordinates"].is_array())
      return geometry_error(f, r.id, "reach", "a reach's geometry must be a LineString (or null)");
    const json& coords = g["coordinates"];
    if (coords.size() > kMaxLinePoints)
      return geometry_error(f, r.id, "reach", "the line has too many points");
    for (size_t i = 0; i < coords.size(); ++i) {
      auto pos = position(coords[i]);
      if (!pos)
        return geometry_error(
            f, r.id, "reach",
            "coordinate " + std::to_string(i) + " is not [longitude −180..180, latitude −90..90]");
      r.line.push_back(*pos);
    }
    if (r.line.size() == 1)
      return geometry_error(f, r.id, "reach", "a LineString needs at least 2 positions");
  }
  if (length) {
    r.length_m = *length;
  } else if (r.line.size() >= 2) {
    r.length_m = internal::line_length_m(r.line);
  } else {
    return p.bad("length_m", "is required when the reach has no line to measure");
  }
  return r;
}

// Reads a site; `offset_m` may stay NaN when absent (projected later, once reaches are known).
core::Result<Site> read_site(const json& feature, const json& props, size_t f,
                             const std::string& kind, std::optional<core::LonLat>& point) {
  Site s;
  s.kind = kind == "intake"   ? Site::Kind::kIntake
           : kind == "border" ? Site::Kind::kBorder
                              : Site::Kind::kSection;
  Props p(props, f, kind);
  LD_RETURN_IF_ERROR(p.str("id", s.id));
  if (s.id.empty() && feature.contains("id") && feature["id"].is_string())
    s.id = feature["id"].get<std::string>();
  p.set_id(s.id);
  LD_RETURN_IF_ERROR(p.str("name", s.name));
  LD_RETURN_IF_ERROR(p.str("reach", s.reach));
  std::optional<double> offset;
  LD_RETURN_IF_ERROR(p.num("offset_m", offset));
  s.offset_m = offset.value_or(std::nan(""));
  LD_RETURN_IF_ERROR(p.str("from_jurisdiction", s.from_jurisdiction));
  LD_RETURN_IF_ERROR(p.str("to_jurisdiction", s.to_jurisdiction));
  LD_RETURN_IF_ERROR(p.opt_str("station", s.station));

  const json& g = feature.contains("geometry") ? feature["geometry"] : null_json();
  if (!g.is_null()) {
    if (!g.is_object() || g.value("type", "") != "Point" || !g.contains("coordinates"))
      return geometry_error(f, s.id, kind, "a site's geometry must be a Point (or null)");
    point = position(g["coordinates"]);
    if (!point)
      return geometry_error(f, s.id, kind, "the point is not [longitude, latitude] in range");
  }
  if (!offset && !point) return p.bad("offset_m", "is required when the site has no point");
  return s;
}

}  // namespace

core::Result<Network> Network::from_geojson(std::string_view text) {
  if (depth(text) > kMaxDepth)
    return core::invalid("the document nests arrays and objects deeper than " +
                         std::to_string(kMaxDepth) + " levels; GeoJSON needs about 6");
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return core::invalid(std::string("not valid JSON: ") + e.what());
  }
  if (!doc.is_object() || doc.value("type", json()) != "FeatureCollection")
    return core::invalid("the document must be a GeoJSON FeatureCollection", "type");
  if (!doc.contains("features") || !doc["features"].is_array())
    return core::invalid("a FeatureCollection needs a \"features\" array", "features");
  const json& features = doc["features"];
  if (features.size() > kMaxReaches + kMaxSites)
    return core::Status(core::Code::kTooLarge,
                        "more than " + std::to_string(kMaxReaches + kMaxSites) + " features");

  std::vector<Reach> reaches;
  std::vector<Site> sites;
  std::vector<size_t> fr, fs;
  std::vector<std::optional<core::LonLat>> points;
  for (size_t f = 0; f < features.size(); ++f) {
    const json& feature = features[f];
    const std::string where = "features[" + std::to_string(f) + "]";
    if (!feature.is_object() || feature.value("type", json()) != "Feature")
      return core::invalid("feature " + std::to_string(f) + " is not a GeoJSON Feature", where);
    static const json kEmpty = json::object();
    const json& props = feature.contains("properties") && !feature["properties"].is_null()
                            ? feature["properties"]
                            : kEmpty;
    if (!props.is_object())
      return core::invalid("feature " + std::to_string(f) + ": properties must be an object",
                           where + ".properties");
    const json kind = props.value("kind", json());
    if (!kind.is_string())
      return core::invalid("feature " + std::to_string(f) +
                               ": properties.kind must be \"reach\", \"section\", \"intake\" or "
                               "\"border\"",
                           property_field(f, "kind"));
    const std::string k = kind.get<std::string>();
    if (k == "reach") {
      auto r = read_reach(feature, props, f);
      if (!r) return r.status();
      reaches.push_back(std::move(r).value());
      fr.push_back(f);
    } else if (k == "section" || k == "intake" || k == "border") {
      std::optional<core::LonLat> point;
      auto s = read_site(feature, props, f, k, point);
      if (!s) return s.status();
      sites.push_back(std::move(s).value());
      points.push_back(point);
      fs.push_back(f);
    } else {
      return core::invalid("feature " + std::to_string(f) + ": kind \"" + k.substr(0, 64) +
                               "\" is not one of reach, section, intake, border",
                           property_field(f, "kind"));
    }
    if (reaches.size() > kMaxReaches || sites.size() > kMaxSites)
      return core::Status(core::Code::kTooLarge,
                          "more than " + std::to_string(kMaxReaches) + " reaches or sites");
  }

  // Sites without offset_m: project their point onto the reach's line.
  std::unordered_map<std::string_view, const Reach*> by_id;
  for (const Reach& r : reaches) by_id.emplace(r.id, &r);
  for (size_t i = 0; i < sites.size(); ++i) {
    Site& s = sites[i];
    if (!std::isnan(s.offset_m)) continue;
    auto it = by_id.find(s.reach);
    if (it == by_id.end()) continue;  // build() reports the unknown reach
    const Reach& r = *it->second;
    if (r.line.size() < 2)
      return core::invalid(feature_name(fs[i], kind_name(s.kind), s.id) +
                               ": offset_m is required, reach \"" + r.id + "\" has no line",
                           property_field(fs[i], "offset_m"));
    auto proj = internal::project(r.line, *points[i]);
    if (proj.distance_m > kMaxSnapM)
      return core::invalid(feature_name(fs[i], kind_name(s.kind), s.id) + ": the point lies " +
                               std::to_string(static_cast<long>(proj.distance_m)) +
                               " m from reach \"" + r.id + "\"'s line; give offset_m",
                           property_field(fs[i], "offset_m"));
    s.offset_m = proj.line_m > 0 ? r.length_m * proj.along_m / proj.line_m : 0;
  }
  return build_indexed(std::move(reaches), std::move(sites), std::move(fr), std::move(fs));
}

nlohmann::json Network::to_geojson() const {
  json features = json::array();
  for (const Reach& r : reaches_) {
    json p = {{"kind", "reach"}, {"id", r.id}, {"length_m", r.length_m}};
    if (!r.name.empty()) p["name"] = r.name;
    if (!r.river.empty()) p["river"] = r.river;
    const std::pair<const char*, const std::optional<double>*> optionals[] = {
        {"velocity_mps", &r.velocity_mps},
        {"flow_m3s", &r.flow_m3s},
        {"area_m2", &r.area_m2},
        {"width_m", &r.width_m},
        {"depth_m", &r.depth_m},
        {"slope", &r.slope},
        {"dispersion_m2s", &r.dispersion_m2s}};
    for (auto [name, value] : optionals)
      if (*value) p[name] = **value;
    if (!r.downstream.empty()) p["downstream"] = r.downstream;
    if (!r.jurisdiction.empty()) p["jurisdiction"] = r.jurisdiction;
    json geometry;
    if (!r.line.empty()) {
      json coords = json::array();
      for (const auto& c : r.line) coords.push_back({c.lon, c.lat});
      geometry = {{"type", "LineString"}, {"coordinates", std::move(coords)}};
    }
    features.push_back({{"type", "Feature"}, {"properties", std::move(p)}, {"geometry", geometry}});
  }
  for (const Site& s : sites_) {
    json p = {
        {"kind", kind_name(s.kind)}, {"id", s.id}, {"reach", s.reach}, {"offset_m", s.offset_m}};
    if (!s.name.empty()) p["name"] = s.name;
    if (!s.from_jurisdiction.empty()) p["from_jurisdiction"] = s.from_jurisdiction;
    if (!s.to_jurisdiction.empty()) p["to_jurisdiction"] = s.to_jurisdiction;
    if (s.station) p["station"] = *s.station;
    json geometry;
    const Reach* r = reach(s.reach);
    if (r && !r->line.empty()) {
      core::LonLat c = internal::point_at(r->line, s.offset_m / r->length_m);
      geometry = {{"type", "Point"}, {"coordinates", {c.lon, c.lat}}};
    }
    features.push_back({{"type", "Feature"}, {"properties", std::move(p)}, {"geometry", geometry}});
  }
  return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

}  // namespace liandong::river
