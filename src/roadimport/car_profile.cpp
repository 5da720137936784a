#include "roadimport/car_profile.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace liandong::roadimport {
namespace {

using routing::RoadClass;

struct ClassSpeed {
  std::string_view highway;
  double kmh;
  RoadClass road_class;
};

// Default speeds: what an emergency vehicle averages on the class with lights on, junctions and
// traffic included; deliberately below most posted limits.
constexpr ClassSpeed kClasses[] = {
    {"motorway", 100, RoadClass::kMotorway},
    {"motorway_link", 60, RoadClass::kMotorway},
    {"trunk", 80, RoadClass::kTrunk},
    {"trunk_link", 50, RoadClass::kTrunk},
    {"primary", 60, RoadClass::kPrimary},
    {"primary_link", 45, RoadClass::kPrimary},
    {"secondary", 50, RoadClass::kSecondary},
    {"secondary_link", 40, RoadClass::kSecondary},
    {"tertiary", 40, RoadClass::kTertiary},
    {"tertiary_link", 30, RoadClass::kTertiary},
    {"unclassified", 30, RoadClass::kResidential},
    {"residential", 30, RoadClass::kResidential},
    {"living_street", 10, RoadClass::kResidential},
    {"service", 15, RoadClass::kService},
    {"road", 20, RoadClass::kOther},
    // Driven only where tagged open to motor vehicles or emergency services (see below).
    {"track", 10, RoadClass::kOther},
    {"busway", 30, RoadClass::kOther},
};

const ClassSpeed* find_class(std::string_view highway) {
  for (const auto& c : kClasses) {
    if (c.highway == highway) return &c;
  }
  return nullptr;
}

bool is_one_of(const char* value, std::initializer_list<std::string_view> list) {
  if (value == nullptr) return false;
  return std::find(list.begin(), list.end(), std::string_view(value)) != list.end();
}

bool denies(const char* value) {
  return is_one_of(value, {"no", "private", "agricultural", "forestry", "delivery", "permit",
                           "military", "restricted", "bus", "psv"});
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

struct Zone {
  std::string_view country;  // "" = any
  std::string_view zone;
  double kmh;  // 0: no limit (the class speed)
};

// Implicit limits of "CC:zone" values; a country's own row first, then the general one.
constexpr Zone kZones[] = {
    {"CN", "urban", 50},      {"CN", "rural", 70},         {"CN", "motorway", 120},
    {"CN", "trunk", 100},     {"RU", "urban", 60},         {"RU", "rural", 90},
    {"RU", "motorway", 110},  {"RU", "living_street", 20}, {"DE", "urban", 50},
    {"DE", "rural", 100},     {"DE", "motorway", 0},       {"AT", "rural", 100},
    {"AT", "motorway", 130},  {"CH", "motorway", 120},     {"FR", "motorway", 130},
    {"GB", "nsl_single", 96}, {"GB", "nsl_dual", 112},     {"GB", "nsl_restricted", 48},
    {"GB", "motorway", 112},  {"", "urban", 50},           {"", "rural", 80},
    {"", "motorway", 110},    {"", "trunk", 90},           {"", "living_street", 10},
    {"", "walk", 10},         {"", "bicycle_road", 30},    {"", "cyclestreet", 30},
    {"", "school", 30},
};

std::optional<double> zone_speed(std::string_view country, std::string_view zone) {
  // "zone30", "zone:30", "zone 30"
  if (zone.substr(0, 4) == "zone") {
    std::string_view rest = zone.substr(4);
    if (!rest.empty() && (rest[0] == ':' || rest[0] == ' ')) rest.remove_prefix(1);
    double v = 0;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v);
    if (ec == std::errc() && p == rest.data() + rest.size() && v > 0) return v;
    return std::nullopt;
  }
  for (std::string_view c : {country, std::string_view()}) {
    for (const auto& z : kZones) {
      if (z.country == c && z.zone == zone)
        return z.kmh > 0 ? std::optional<double>(z.kmh) : std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<double> parse_one(std::string_view v) {
  v = trim(v);
  if (v.empty() || v == "none" || v == "signals" || v == "variable" || v == "unknown")
    return std::nullopt;
  if (v == "walk") return 10.0;
  if (v.substr(0, 4) == "zone") return zone_speed({}, v);
  if (auto colon = v.find(':'); colon != std::string_view::npos) {
    return zone_speed(v.substr(0, colon), v.substr(colon + 1));
  }
  double number = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
  if (ec != std::errc() || !(number > 0)) return std::nullopt;
  std::string_view unit = trim(v.substr(size_t(p - v.data())));
  if (unit == "mph") {
    number *= 1.609344;
  } else if (unit == "knots") {
    number *= 1.852;
  } else if (!unit.empty() && unit != "km/h" && unit != "kmh" && unit != "kph") {
    return std::nullopt;
  }
  return std::clamp(number, 5.0, 140.0);
}

}  // namespace

std::optional<double> highway_speed(std::string_view highway) {
  const ClassSpeed* c = find_class(highway);
  return c ? std::optional<double>(c->kmh) : std::nullopt;
}

std::optional<double> parse_maxspeed(std::string_view value) {
  std::optional<double> least;
  while (!value.empty()) {
    const size_t semi = value.find(';');
    if (auto v = parse_one(value.substr(0, semi))) least = least ? std::min(*least, *v) : *v;
    if (semi == std::string_view::npos) break;
    value.remove_prefix(semi + 1);
  }
  return least;
}

WayProfile car_profile(const TagLookup& tags) {
  WayProfile out;
  const char* highway = tags("highway");
  if (highway == nullptr) return out;
  const ClassSpeed* cls = find_class(highway);
  if (cls == nullptr) return out;
  if (is_one_of(tags("area"), {"yes"}) || is_one_of(tags("impassable"), {"yes"})) return out;

  const bool for_emergency =
      is_one_of(tags("emergency"), {"yes", "designated", "permissive", "destination", "official"});
  if (!for_emergency) {
    const char* rule = nullptr;
    for (const char* key : {"motorcar", "motor_vehicle", "vehicle", "access"}) {
      if ((rule = tags(key)) != nullptr) break;
    }
    if (denies(rule)) return out;
    const std::string_view hw(highway);
    // Tracks and busways are open only when tagged so.
    if (hw == "track" && !is_one_of(rule, {"yes", "permissive", "destination", "designated"}))
      return out;
    if (hw == "busway" && !is_one_of(rule, {"yes", "permissive", "destination", "designated"}))
      return out;
  }

  int dir = 0;  // +1 forward only, -1 backward only, 0 both
  if (is_one_of(tags("junction"), {"roundabout", "circular"}) ||
      is_one_of(highway, {"motorway", "motorway_link"})) {
    dir = 1;
  }
  const char* oneway = tags("oneway");
  if (is_one_of(oneway, {"yes", "true", "1"})) dir = 1;
  if (is_one_of(oneway, {"-1", "reverse"})) dir = -1;
  if (is_one_of(oneway, {"no", "false", "0"})) dir = 0;
  if (is_one_of(oneway, {"reversible", "alternating"})) return out;
  if (is_one_of(tags("oneway:emergency"), {"no"})) dir = 0;

  auto posted = [&](const char* key) -> std::optional<double> {
    const char* v = tags(key);
    return v ? parse_maxspeed(v) : std::nullopt;
  };
  const std::optional<double> both = posted("maxspeed");
  const std::optional<double> fwd = posted("maxspeed:forward");
  const std::optional<double> bwd = posted("maxspeed:backward");
  out.routable = true;
  out.road_class = cls->road_class;
  if (dir >= 0) out.forward_kmh = fwd ? *fwd : both ? *both : cls->kmh;
  if (dir <= 0) out.backward_kmh = bwd ? *bwd : both ? *both : cls->kmh;
  return out;
}

}  // namespace liandong::roadimport
