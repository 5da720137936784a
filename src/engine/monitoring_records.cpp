#include "engine/monitoring_records.h"

#include <cmath>

#include "engine/internal/json_fields.h"

namespace liandong::engine {

using nlohmann::json;
using internal::guarded;
using internal::opt_time;
using internal::opt_time_at;
using internal::str_at;
using internal::str_or;
using internal::time_at;

namespace {

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json opt_str(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::optional<double> opt_number(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<double>();
}

core::LonLat lonlat_at(const json& j) {
  return core::LonLat{j.at("lon").get<double>(), j.at("lat").get<double>()};
}

json condition_json(const Condition& c) {
  return {{"parameter", c.parameter}, {"detector", c.detector}, {"level", c.level},
          {"since", core::format_utc(c.since)}, {"value", c.value},  {"score", c.score},
          {"limit", c.limit},        {"reason", c.reason}};
}

}  // namespace

int level_rank(std::string_view level) {
  if (level.empty()) return 0;
  if (level == "blue") return 1;
  if (level == "yellow") return 2;
  if (level == "orange") return 3;
  if (level == "red") return 4;
  return -1;
}

const StationParameter* MonitoringStation::parameter(std::string_view code) const {
  for (const auto& p : parameters)
    if (p.code == code) return &p;
  return nullptr;
}

std::string MonitoringStation::level() const {
  std::string worst;
  for (const auto& c : conditions)
    if (level_rank(c.level) > level_rank(worst)) worst = c.level;
  return worst;
}

json to_json(const StationParameter& p) {
  return {{"code", p.code},
          {"unit", p.unit},
          {"interval_s", p.interval_s},
          {"max_rate_per_hour", opt(p.max_rate_per_hour)},
          {"flat_line_count", p.flat_line_count}};
}

json to_json(const MonitoringStation& s) {
  json params = json::array();
  for (const auto& p : s.parameters) params.push_back(to_json(p));
  json conds = json::array();
  for (const auto& c : s.conditions) conds.push_back(condition_json(c));
  return {{"id", s.id},
          {"jurisdiction", s.jurisdiction},
          {"name", s.name},
          {"kind", s.kind},
          {"sampling", s.sampling},
          {"operator", s.operator_name},
          {"location", {{"lon", s.location.lon}, {"lat", s.location.lat}}},
          {"target_class", s.target_class},
          {"drinking_water_source", s.drinking_water_source},
          {"river_site", opt_str(s.river_site)},
          {"counts", s.counts},
          {"parameters", std::move(params)},
          {"active", s.active},
          {"level", s.level()},
          {"conditions", std::move(conds)}};
}

json to_json(const Warning& w) {
  json steps = json::array();
  for (const auto& s : w.steps)
    steps.push_back({{"action", s.action}, {"level", s.level}, {"by", s.by},
                     {"at", core::format_utc(s.at)}, {"note", s.note}});
  return {{"id", w.id},
          {"jurisdiction", w.jurisdiction},
          {"level", w.level},
          {"status", w.status},
          {"source", w.source},
          {"title", w.title},
          {"description", w.description},
          {"type", opt_str(w.type)},
          {"location", w.location ? json{{"lon", w.location->lon}, {"lat", w.location->lat}} : json(nullptr)},
          {"station_id", opt_str(w.station_id)},
          {"parameter", opt_str(w.parameter)},
          {"detector", opt_str(w.detector)},
          {"fence_id", opt_str(w.fence_id)},
          {"object_id", opt_str(w.object_id)},
          {"value", w.value},
          {"score", w.score},
          {"limit", w.limit},
          {"condition_active", w.condition_active},
          {"incident_id", opt_str(w.incident_id)},
          {"raised_at", core::format_utc(w.raised_at)},
          {"updated_at", core::format_utc(w.updated_at)},
          {"steps", std::move(steps)}};
}

json to_json(const TrackedObject& o) {
  return {{"id", o.id}, {"jurisdiction", o.jurisdiction}, {"kind", o.kind}, {"name", o.name},
          {"operator", o.operator_name}};
}

json to_json(const FenceRecord& f) {
  return {{"id", f.id},
          {"jurisdiction", f.jurisdiction},
          {"name", f.name},
          {"kind", f.kind},
          {"area", f.area},
          {"rules",
           {{"enter", f.on_enter},
            {"exit", f.on_exit},
            {"dwell_s", f.dwell_s ? json(*f.dwell_s) : json(nullptr)},
            {"speed_above_kmh", opt(f.speed_above_kmh)}}},
          {"object_kinds", f.object_kinds},
          {"warning_level", opt_str(f.warning_level)},
          {"active", f.active},
          {"hits", f.hits},
          {"last_hit_at", opt_time(f.last_hit_at)}};
}

core::Result<StationParameter> station_parameter_from_json(const json& j) {
  return guarded("station parameter", [&]() -> StationParameter {
    StationParameter p;
    p.code = j.at("code").get<std::string>();
    p.unit = str_at(j, "unit");
    p.interval_s = j.value("interval_s", int64_t{0});
    p.max_rate_per_hour = opt_number(j, "max_rate_per_hour");
    p.flat_line_count = j.value("flat_line_count", uint32_t{0});
    return p;
  });
}

core::Result<MonitoringStation> monitoring_station_from_json(const json& j) {
  return guarded("monitoring station", [&]() -> MonitoringStation {
    MonitoringStation s;
    s.id = j.at("id").get<std::string>();
    s.jurisdiction = j.at("jurisdiction").get<std::string>();
    s.name = str_at(j, "name");
    s.kind = str_at(j, "kind");
    s.sampling = str_at(j, "sampling");
    s.operator_name = str_at(j, "operator");
    s.location = lonlat_at(j.at("location"));
    s.target_class = j.value("target_class", 3);
    s.drinking_water_source = j.value("drinking_water_source", false);
    s.river_site = str_at(j, "river_site");
    s.counts = j.value("counts", false);
    for (const auto& p : j.at("parameters")) {
      auto r = station_parameter_from_json(p);
      if (!r) throw std::invalid_argument(r.status().to_string());
      s.parameters.push_back(std::move(*r));
    }
    s.active = j.value("active", true);
    if (j.contains("conditions"))
      for (const auto& c : j.at("conditions"))
        s.conditions.push_back(Condition{c.at("parameter").get<std::string>(), str_at(c, "detector"),
                                         str_at(c, "level"), time_at(c, "since"), c.value("value", 0.0),
                                         c.value("score", 0.0), c.value("limit", 0.0), str_at(c, "reason")});
    return s;
  });
}

core::Result<Warning> warning_from_json(const json& j) {
  return guarded("warning", [&]() -> Warning {
    Warning w;
    w.id = j.at("id").get<std::string>();
    w.jurisdiction = j.at("jurisdiction").get<std::string>();
    w.level = j.at("level").get<std::string>();
    w.status = j.at("status").get<std::string>();
    w.source = str_at(j, "source");
    w.title = str_at(j, "title");
    w.description = str_at(j, "description");
    w.type = str_at(j, "type");
    if (j.contains("location") && !j.at("location").is_null()) w.location = lonlat_at(j.at("location"));
    w.station_id = str_at(j, "station_id");
    w.parameter = str_at(j, "parameter");
    w.detector = str_at(j, "detector");
    w.fence_id = str_at(j, "fence_id");
    w.object_id = str_at(j, "object_id");
    w.value = j.value("value", 0.0);
    w.score = j.value("score", 0.0);
    w.limit = j.value("limit", 0.0);
    w.condition_active = j.value("condition_active", false);
    w.incident_id = str_at(j, "incident_id");
    w.raised_at = time_at(j, "raised_at");
    w.updated_at = time_at(j, "updated_at");
    for (const auto& s : j.at("steps"))
      w.steps.push_back(WarningStep{s.at("action").get<std::string>(), str_at(s, "level"), str_at(s, "by"),
                                    time_at(s, "at"), str_at(s, "note")});
    return w;
  });
}

core::Result<TrackedObject> tracked_object_from_json(const json& j) {
  return guarded("tracked object", [&]() -> TrackedObject {
    return TrackedObject{j.at("id").get<std::string>(), j.at("jurisdiction").get<std::string>(),
                         j.at("kind").get<std::string>(), str_at(j, "name"), str_at(j, "operator")};
  });
}

core::Result<FenceRecord> fence_from_json(const json& j) {
  return guarded("fence", [&]() -> FenceRecord {
    FenceRecord f;
    f.id = j.at("id").get<std::string>();
    f.jurisdiction = j.at("jurisdiction").get<std::string>();
    f.name = str_at(j, "name");
    f.kind = str_at(j, "kind");
    f.area = j.at("area");
    const json& r = j.at("rules");
    f.on_enter = r.value("enter", false);
    f.on_exit = r.value("exit", false);
    if (r.contains("dwell_s") && !r.at("dwell_s").is_null()) f.dwell_s = r.at("dwell_s").get<int64_t>();
    f.speed_above_kmh = opt_number(r, "speed_above_kmh");
    f.object_kinds = j.value("object_kinds", std::vector<std::string>{});
    f.warning_level = str_at(j, "warning_level");
    f.active = j.value("active", true);
    f.hits = j.value("hits", uint64_t{0});
    f.last_hit_at = opt_time_at(j, "last_hit_at");
    return f;
  });
}

}  // namespace liandong::engine
