// Monitoring routes (docs/API.md "Monitoring"): monitoring stations, readings (JSON batch and the
// line protocol) and their charts, warnings and their life-cycle, the river network and its
// predictions, tracked objects and fences.
#include <algorithm>
#include <cmath>

#include "api/internal/csv.h"
#include "api/routes_common.h"
#include "core/log.h"
#include "monitoring/limits.h"
#include "readings/lines.h"
#include "river/network.h"
#include "river/propagation.h"
#include "watch/fences.h"

namespace liandong::api::internal {

using nlohmann::json;

constexpr size_t kMaxReadings = 100000;  // a request

namespace {

http::Response no_watch() {
  return http::error_response(503, "unavailable", "monitoring is not available on this node");
}

std::string id_param(const http::Request& req) { return std::string(*req.param("id")); }

// The answer of an ingest: counts and the problems, each with its index (JSON) or line (lines).
json ingest_answer(size_t received, size_t accepted, json problems) {
  return {{"received", received}, {"accepted", accepted}, {"rejected", problems.size()}, {"problems", std::move(problems)}};
}

// Hands readings to the watch and answers when they are durable. `where` gives each reading's
// position in the request (index or line) for the problems.
void ingest(ApiContext& ctx, std::vector<readings::Reading> rs, std::vector<size_t> where, const char* where_key,
            json problems, size_t received, http::Responder respond) {
  if (!ctx.watch) return respond(no_watch());
  auto responder = std::make_shared<http::Responder>(std::move(respond));
  ctx.watch->ingest(std::move(rs), [where = std::move(where), where_key, problems = std::move(problems), received,
                                    responder](core::Result<watch::IngestAnswer> a) mutable {
    http::Responder& respond = *responder;
    if (!a) return respond(http::status_response(a.status()));
    for (const auto& r : a->refused)
      problems.push_back({{where_key, where[r.index]}, {"field", r.field}, {"message", r.message}});
    std::sort(problems.begin(), problems.end(),
              [where_key](const json& x, const json& y) { return x.value(where_key, 0) < y.value(where_key, 0); });
    respond(http::json_response(200, ingest_answer(received, a->accepted, std::move(problems))));
  });
}

void post_readings(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (json_depth(req.body, max_json_depth() + 1) > max_json_depth())
    return respond(http::error_response(400, "malformed_json", "the JSON nests too deeply"));
  json array = json::parse(req.body, nullptr, false);
  if (array.is_discarded() || !array.is_array())
    return respond(http::error_response(400, "malformed_json",
                                        "the body must be a JSON array of readings {station, parameter, time, value, quality?}"));
  if (array.size() > kMaxReadings)
    return respond(http::error_response(413, "too_large", "at most " + std::to_string(kMaxReadings) + " readings a request"));
  std::vector<readings::Reading> rs;
  std::vector<size_t> where;
  json problems = json::array();
  auto view = ctx.engine->view();
  for (size_t i = 0; i < array.size(); ++i) {
    const json& o = array[i];
    auto reject = [&](std::string field, std::string message) {
      problems.push_back({{"index", i}, {"field", std::move(field)}, {"message", std::move(message)}});
    };
    if (!o.is_object()) {
      reject("", "a reading must be an object");
      continue;
    }
    Fields f(o);
    f.only({"station", "parameter", "time", "value", "quality"});
    readings::Reading r;
    r.station = f.str("station", true, readings::kMaxStationBytes).value_or("");
    r.parameter = f.str("parameter", true, readings::kMaxParameterBytes).value_or("");
    r.time = f.time("time", true).value_or(core::Timestamp{});
    r.value = f.number("value", -readings::kMaxAbsValue, readings::kMaxAbsValue, true).value_or(0);
    std::string quality = f.str("quality", false, 16).value_or("ok");
    if (!f.ok()) {
      json e = json::parse(f.take_error().body, nullptr, false);
      reject(e.value("field", ""), e.value("message", "invalid"));
      continue;
    }
    auto q = readings::parse_quality(quality);
    if (!q) {
      reject("quality", q.status().message());
      continue;
    }
    r.quality = *q;
    if (auto st = readings::check_reading(r); !st.is_ok()) {
      reject(st.field(), st.message());
      continue;
    }
    const auto* s = view->find_monitoring_station(r.station);
    if (s && !may(req, "monitoring.ingest", s->jurisdiction)) {
      reject("station", "you may not send readings of stations in " + s->jurisdiction);
      continue;
    }
    rs.push_back(std::move(r));
    where.push_back(i);
  }
  ingest(ctx, std::move(rs), std::move(where), "index", std::move(problems), array.size(), std::move(respond));
}

void post_reading_lines(ApiContext& ctx, http::Request& req, http::Responder respond) {
  readings::ParsedLines parsed = readings::parse_lines(req.body);
  size_t received = parsed.readings.size() + parsed.errors.size();
  if (received > kMaxReadings)
    return respond(http::error_response(413, "too_large", "at most " + std::to_string(kMaxReadings) + " lines a request"));
  json problems = json::array();
  for (const auto& e : parsed.errors) problems.push_back({{"line", e.line}, {"field", ""}, {"message", e.message}});
  std::vector<readings::Reading> rs;
  std::vector<size_t> where;
  auto view = ctx.engine->view();
  for (size_t i = 0; i < parsed.readings.size(); ++i) {
    const auto* s = view->find_monitoring_station(parsed.readings[i].station);
    if (s && !may(req, "monitoring.ingest", s->jurisdiction)) {
      problems.push_back({{"line", parsed.reading_lines[i]}, {"field", "station"},
                          {"message", "you may not send readings of stations in " + s->jurisdiction}});
      continue;
    }
    rs.push_back(std::move(parsed.readings[i]));
    where.push_back(parsed.reading_lines[i]);
  }
  ingest(ctx, std::move(rs), std::move(where), "line", std::move(problems), received, std::move(respond));
}

// ---- stations ----

// The limit lines of a station's parameter: every class of GB 3838 (water quality stations) and the
// one the station must meet.
json limits_of(const engine::MonitoringStation& s, const std::string& parameter) {
  if (s.kind != "water_quality") return json::object();
  const auto* lim = monitoring::gb3838_surface_water().find(parameter);
  if (!lim || (lim->source_only && !s.drinking_water_source)) return json::object();
  static const char* kClass[] = {"I", "II", "III", "IV", "V"};
  json classes = json::object();
  for (size_t i = 0; i < 5; ++i)
    if (lim->classes[i]) classes[kClass[i]] = *lim->classes[i];
  json j = {{"standard", "GB 3838-2002"}, {"bound", monitoring::name(lim->bound)}, {"classes", std::move(classes)},
            {"target_class", kClass[std::clamp(s.target_class, 1, 5) - 1]}};
  if (const auto& t = lim->classes[static_cast<size_t>(std::clamp(s.target_class, 1, 5) - 1)]) j["target"] = *t;
  if (lim->range_low) j["range_low"] = *lim->range_low;
  return j;
}

core::Result<engine::StationParameter> parameter_from(const json& o, const std::string& at) {
  if (!o.is_object()) return core::invalid("a parameter is an object {code, unit, interval_s?}", at);
  engine::StationParameter p;
  auto code = o.find("code");
  if (code == o.end() || !code->is_string()) return core::invalid("a parameter needs a code", at + ".code");
  p.code = *code;
  if (o.contains("unit") && o["unit"].is_string()) p.unit = o["unit"];
  if (o.contains("interval_s")) {
    if (!o["interval_s"].is_number_integer()) return core::invalid("interval_s is whole seconds", at + ".interval_s");
    p.interval_s = o["interval_s"];
  }
  if (o.contains("max_rate_per_hour") && !o["max_rate_per_hour"].is_null()) {
    if (!o["max_rate_per_hour"].is_number()) return core::invalid("max_rate_per_hour is a number", at + ".max_rate_per_hour");
    p.max_rate_per_hour = o["max_rate_per_hour"].get<double>();
  }
  if (o.contains("flat_line_count")) {
    if (!o["flat_line_count"].is_number_unsigned()) return core::invalid("flat_line_count is a whole number", at + ".flat_line_count");
    p.flat_line_count = o["flat_line_count"];
  }
  for (const auto& [k, v] : o.items())
    if (k != "code" && k != "unit" && k != "interval_s" && k != "max_rate_per_hour" && k != "flat_line_count")
      return core::invalid("unknown member '" + k + "'", at + "." + k);
  return p;
}

// "cadmium:mg/L:300;lead:mg/L:300" (the CSV form of a station's parameters).
core::Result<std::vector<engine::StationParameter>> parameters_from_text(const std::string& text) {
  std::vector<engine::StationParameter> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t end = text.find(';', start);
    std::string item = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!item.empty()) {
      engine::StationParameter p;
      size_t a = item.find(':');
      p.code = item.substr(0, a);
      if (a != std::string::npos) {
        size_t b = item.find(':', a + 1);
        p.unit = item.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
        if (b != std::string::npos) {
          try {
            size_t used = 0;
            p.interval_s = std::stoll(item.substr(b + 1), &used);
            if (used != item.size() - b - 1) throw std::invalid_argument("trailing");
          } catch (const std::exception&) {
            return core::invalid("'" + item + "': the interval after the second ':' is whole seconds", "parameters");
          }
        }
      }
      out.push_back(std::move(p));
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// A station from a JSON object (the POST body or a GeoJSON feature's properties with its point).
core::Result<engine::MonitoringStation> station_from(const json& o, std::optional<core::LonLat> point) {
  Fields f(o);
  f.only({"jurisdiction", "name", "kind", "sampling", "operator", "location", "target_class", "drinking_water_source",
          "river_site", "counts", "parameters", "id", "level", "conditions", "active"});
  engine::MonitoringStation s;
  s.jurisdiction = f.str("jurisdiction", true, 6).value_or("");
  s.name = f.str("name", true, 200).value_or("");
  s.kind = f.str("kind", true, 32).value_or("");
  s.sampling = f.str("sampling", false, 16).value_or("automatic");
  s.operator_name = f.str("operator", false, 200).value_or("");
  if (point) s.location = *point;
  else s.location = f.lonlat("location", true).value_or(core::LonLat{});
  s.target_class = static_cast<int>(f.integer("target_class", 1, 5).value_or(3));
  s.drinking_water_source = f.boolean("drinking_water_source").value_or(false);
  s.river_site = f.str("river_site", false, 128).value_or("");
  s.counts = f.boolean("counts").value_or(false);
  if (!f.ok()) {
    json e = json::parse(f.take_error().body, nullptr, false);
    return core::invalid(e.value("message", "invalid"), e.value("field", ""));
  }
  auto params = o.find("parameters");
  if (params == o.end()) return core::invalid("a station lists the parameters it measures", "parameters");
  if (params->is_string()) {
    auto ps = parameters_from_text(*params);
    if (!ps) return ps.status();
    s.parameters = std::move(*ps);
  } else if (params->is_array()) {
    for (size_t i = 0; i < params->size(); ++i) {
      auto p = parameter_from((*params)[i], "parameters[" + std::to_string(i) + "]");
      if (!p) return p.status();
      s.parameters.push_back(std::move(*p));
    }
  } else {
    return core::invalid("parameters is an array of {code, unit, interval_s}", "parameters");
  }
  return s;
}

json station_json(ApiContext& ctx, const engine::MonitoringStation& s, bool latest) {
  json j = engine::to_json(s);
  if (latest && ctx.readings) {
    json values = json::object();
    for (const auto& p : s.parameters) {
      auto series = ctx.readings->find_series(s.id, p.code);
      if (!series || !*series) continue;
      auto row = ctx.readings->latest(**series);
      if (!row || !*row) continue;
      values[p.code] = {{"time", core::format_utc(core::from_unix_millis((*row)->t_ms))}, {"value", (*row)->value}};
    }
    j["latest"] = std::move(values);
  }
  return j;
}

const char* kStationCsvHeader = "id,jurisdiction,name,kind,sampling,operator,lon,lat,target_class,drinking_water_source,river_site,counts,parameters";

void list_stations(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"format", "kind", "jurisdiction"})) return respond(std::move(*bad));
  std::string format(req.query_param("format").value_or("json"));
  if (format != "json" && format != "csv" && format != "geojson") return respond(bad_query("format", "json, csv or geojson"));
  auto kind = req.query_param("kind");
  auto jur = req.query_param("jurisdiction");
  auto view = ctx.engine->view();
  json items = json::array();
  json features = json::array();
  std::string csv = std::string(kStationCsvHeader) + "\r\n";
  for (size_t i = 0; i < view->monitoring_stations.size(); ++i) {
    const auto& s = view->monitoring_stations[i];
    if (!may(req, "monitoring.read", s.jurisdiction)) continue;
    if (kind && s.kind != *kind) continue;
    if (jur && s.jurisdiction.rfind(std::string(jur->substr(0, jur->find_last_not_of('0') + 1)), 0) != 0) continue;
    if (format == "json") {
      items.push_back(station_json(ctx, s, true));
    } else if (format == "geojson") {
      json props = engine::to_json(s);
      props.erase("location");
      features.push_back({{"type", "Feature"},
                          {"geometry", {{"type", "Point"}, {"coordinates", {s.location.lon, s.location.lat}}}},
                          {"properties", std::move(props)}});
    } else {
      std::string params;
      for (const auto& p : s.parameters)
        params += (params.empty() ? "" : ";") + p.code + ":" + p.unit + ":" + std::to_string(p.interval_s);
      std::vector<std::string> row = {s.id, s.jurisdiction, s.name, s.kind, s.sampling, s.operator_name,
                                      std::to_string(s.location.lon), std::to_string(s.location.lat),
                                      std::to_string(s.target_class), s.drinking_water_source ? "true" : "false",
                                      s.river_site, s.counts ? "true" : "false", params};
      csv += csv_line(row);
    }
  }
  if (format == "csv") {
    http::Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(csv);
    return respond(std::move(r));
  }
  if (format == "geojson") return respond(http::json_response(200, {{"type", "FeatureCollection"}, {"features", std::move(features)}}));
  respond(http::json_response(200, {{"stations", std::move(items)}}));
}

void create_station(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  auto s = station_from(value_of(body), std::nullopt);
  if (!s) return respond(http::status_response(s.status()));
  if (!may(req, "monitoring.manage", s->jurisdiction)) return respond(forbidden("monitoring.manage", s->jurisdiction));
  submit(ctx, req, engine::RegisterMonitoringStations{{std::move(*s)}}, std::move(respond));
}

// CSV (the export's columns; id, level and conditions ignored) or a GeoJSON FeatureCollection of
// Points with the station's fields as properties; all or nothing.
void import_stations(ApiContext& ctx, http::Request& req, http::Responder respond) {
  std::vector<engine::MonitoringStation> stations;
  std::string type = req.header("content-type").value_or("");
  // `where`: "line 3" of the CSV, "features[2]" of the GeoJSON.
  auto fail = [&](const std::string& where, const core::Status& st) {
    respond(http::error_response(400, "invalid_field", where + ": " + st.message(), st.field()));
  };
  if (type.rfind("text/csv", 0) == 0) {
    auto rows = parse_csv(req.body);
    if (!rows) return respond(http::status_response(rows.status()));
    if (rows->empty()) return respond(http::error_response(400, "invalid_field", "the CSV has no header"));
    const auto& header = (*rows)[0].fields;
    for (size_t r = 1; r < rows->size(); ++r) {
      json o = json::object();
      std::optional<core::LonLat> point;
      double lon = NAN, lat = NAN;
      for (size_t c = 0; c < header.size() && c < (*rows)[r].fields.size(); ++c) {
        const std::string& k = header[c];
        const std::string& v = (*rows)[r].fields[c];
        if (k == "lon" || k == "lat") {
          try {
            (k == "lon" ? lon : lat) = std::stod(v);
          } catch (const std::exception&) {
            return fail("line " + std::to_string((*rows)[r].line), core::invalid("'" + v + "' is not a number", k));
          }
        } else if (k == "target_class") {
          if (!v.empty()) o[k] = std::atoi(v.c_str());
        } else if (k == "drinking_water_source" || k == "counts") {
          o[k] = v == "true" || v == "1" || v == "yes";
        } else if (k == "id" || v.empty()) {
          continue;
        } else {
          o[k] = v;
        }
      }
      if (!std::isnan(lon) && !std::isnan(lat)) point = core::LonLat{lon, lat};
      auto s = station_from(o, point);
      if (!s) return fail("line " + std::to_string((*rows)[r].line), s.status());
      stations.push_back(std::move(*s));
    }
  } else {
    if (json_depth(req.body, max_json_depth() + 1) > max_json_depth())
      return respond(http::error_response(400, "malformed_json", "the JSON nests too deeply"));
    json fc = json::parse(req.body, nullptr, false);
    if (fc.is_discarded() || !fc.is_object() || !fc.contains("features") || !fc["features"].is_array())
      return respond(http::error_response(400, "malformed_json", "the body is a GeoJSON FeatureCollection of Points (or text/csv)"));
    const json& features = fc["features"];
    for (size_t i = 0; i < features.size(); ++i) {
      const json& ft = features[i];
      const json* g = ft.is_object() && ft.contains("geometry") ? &ft["geometry"] : nullptr;
      if (!g || !g->is_object() || g->value("type", "") != "Point" || !g->contains("coordinates") ||
          !(*g)["coordinates"].is_array() || (*g)["coordinates"].size() < 2 || !(*g)["coordinates"][0].is_number() ||
          !(*g)["coordinates"][1].is_number())
        return fail("features[" + std::to_string(i) + "]", core::invalid("a station is a Point feature", "geometry"));
      const json props = ft.value("properties", json::object());
      if (!props.is_object()) return fail("features[" + std::to_string(i) + "]", core::invalid("properties is an object", "properties"));
      auto s = station_from(props, core::LonLat{(*g)["coordinates"][0].get<double>(), (*g)["coordinates"][1].get<double>()});
      if (!s) return fail("features[" + std::to_string(i) + "]", s.status());
      stations.push_back(std::move(*s));
    }
  }
  if (stations.empty()) return respond(http::error_response(400, "invalid_field", "no stations", "stations"));
  for (const auto& s : stations)
    if (!may(req, "monitoring.manage", s.jurisdiction)) return respond(forbidden("monitoring.manage", s.jurisdiction));
  submit(ctx, req, engine::RegisterMonitoringStations{std::move(stations)}, std::move(respond));
}

void get_station(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* s = view->find_monitoring_station(id_param(req));
  if (!s) return respond(http::error_response(404, "not_found", "no monitoring station " + id_param(req) + " on this node"));
  respond(http::json_response(200, station_json(ctx, *s, true)));
}

void update_station(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  const json& o = value_of(body);
  Fields f(o);
  f.only({"name", "operator", "parameters", "target_class", "drinking_water_source", "river_site", "active"});
  engine::UpdateMonitoringStation c;
  c.station_id = id_param(req);
  c.name = f.str("name", false, 200);
  c.operator_name = f.str("operator", false, 200);
  if (auto t = f.integer("target_class", 1, 5)) c.target_class = static_cast<int>(*t);
  c.drinking_water_source = f.boolean("drinking_water_source");
  c.river_site = f.str("river_site", false, 128);
  c.active = f.boolean("active");
  if (!f.ok()) return respond(f.take_error());
  if (o.contains("parameters")) {
    if (!o["parameters"].is_array()) return respond(invalid_field("parameters", "an array of {code, unit, interval_s}"));
    std::vector<engine::StationParameter> ps;
    for (size_t i = 0; i < o["parameters"].size(); ++i) {
      auto p = parameter_from(o["parameters"][i], "parameters[" + std::to_string(i) + "]");
      if (!p) return respond(http::status_response(p.status()));
      ps.push_back(std::move(*p));
    }
    c.parameters = std::move(ps);
  }
  submit(ctx, req, std::move(c), std::move(respond));
}

// A chart: ?parameter=&from=&to=&points= (default the last 24 hours, 500 points).
void station_readings(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"parameter", "from", "to", "points"})) return respond(std::move(*bad));
  if (!ctx.readings) return respond(no_watch());
  auto view = ctx.engine->view();
  const auto* s = view->find_monitoring_station(id_param(req));
  if (!s) return respond(http::error_response(404, "not_found", "no monitoring station " + id_param(req) + " on this node"));
  auto parameter = req.query_param("parameter");
  if (!parameter) return respond(bad_query("parameter", "which parameter's readings (e.g. ?parameter=cadmium)"));
  const engine::StationParameter* p = s->parameter(*parameter);
  if (!p) return respond(bad_query("parameter", "the station does not measure " + std::string(*parameter)));
  core::Timestamp to = ctx.clock->now(), from = to - core::Millis(86400000);
  for (auto [name, into] : {std::pair{"from", &from}, std::pair{"to", &to}})
    if (auto q = req.query_param(name)) {
      auto t = core::parse_rfc3339(*q, name);
      if (!t) return respond(bad_query(name, t.status().message()));
      *into = *t;
    }
  size_t points = 500;
  if (auto q = req.query_param("points")) {
    try {
      size_t used = 0;
      long long n = std::stoll(std::string(*q), &used);
      if (used != q->size() || n < 1 || n > 10000) throw std::out_of_range("points");
      points = static_cast<size_t>(n);
    } catch (const std::exception&) {
      return respond(bad_query("points", "a whole number from 1 to 10000"));
    }
  }
  json out = {{"station_id", s->id}, {"parameter", p->code}, {"unit", p->unit},
              {"from", core::format_utc(from)}, {"to", core::format_utc(to)}, {"points", json::array()}};
  // The limit lines a chart draws: the station's class limits for this parameter.
  out["limits"] = limits_of(*s, p->code);
  json conds = json::array();
  for (const auto& c : s->conditions)
    if (c.parameter == p->code) conds.push_back({{"detector", c.detector}, {"level", c.level}, {"since", core::format_utc(c.since)}});
  out["conditions"] = std::move(conds);
  auto series = ctx.readings->find_series(s->id, p->code);
  if (!series) return respond(http::status_response(series.status()));
  if (*series) {
    auto buckets = ctx.readings->range(**series, core::to_unix_millis(from), core::to_unix_millis(to), points);
    if (!buckets) return respond(http::status_response(buckets.status()));
    out["downsampled"] = !buckets->empty() && buckets->size() == points;
    for (const auto& b : *buckets)
      out["points"].push_back({{"t", core::format_utc(core::from_unix_millis(b.first_ms))},
                               {"n", b.count},
                               {"min", b.min},
                               {"max", b.max},
                               {"mean", b.mean},
                               {"last", b.last}});
  }
  respond(http::json_response(200, out));
}

// ---- warnings ----

void list_warnings(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"status", "station_id"})) return respond(std::move(*bad));
  std::string status(req.query_param("status").value_or("open"));
  if (status != "open" && status != "all" && status != "lifted") return respond(bad_query("status", "open, lifted or all"));
  auto station = req.query_param("station_id");
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = view->warnings.size(); i-- > 0;) {
    const auto& w = view->warnings[i];
    if (!may(req, "warning.read", w.jurisdiction)) continue;
    if (status == "open" && !w.open()) continue;
    if (status == "lifted" && w.open()) continue;
    if (station && w.station_id != *station) continue;
    items.push_back(engine::to_json(w));
    if (items.size() >= 1000) break;
  }
  respond(http::json_response(200, {{"warnings", std::move(items)}}));
}

void get_warning(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  const auto* w = view->find_warning(id_param(req));
  if (!w) return respond(http::error_response(404, "not_found", "no warning " + id_param(req) + " on this node"));
  respond(http::json_response(200, engine::to_json(*w)));
}

void raise_warning(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"jurisdiction", "level", "title", "description", "type", "location", "station_id", "parameter"});
  engine::RaiseWarning c;
  c.jurisdiction = f.str("jurisdiction", false, 6).value_or("");
  c.level = f.str("level", true, 16).value_or("");
  c.title = f.str("title", true, 200).value_or("");
  c.description = f.str("description", false, 4000).value_or("");
  c.type = f.str("type", false, 64).value_or("");
  c.location = f.lonlat("location");
  c.station_id = f.str("station_id", false, 64).value_or("");
  c.parameter = f.str("parameter", false, 64).value_or("");
  if (!f.ok()) return respond(f.take_error());
  std::string where = c.jurisdiction.empty() ? ctx.engine->options().node : c.jurisdiction;
  if (!c.station_id.empty())
    if (const auto* s = ctx.engine->view()->find_monitoring_station(c.station_id)) where = s->jurisdiction;
  if (!may(req, "warning.issue", where)) return respond(forbidden("warning.issue", where));
  submit(ctx, req, std::move(c), std::move(respond));
}

void change_warning(ApiContext& ctx, http::Request& req, http::Responder respond, const char* action) {
  auto body = json_object_body(req, true);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"level", "description", "note"});
  engine::ChangeWarning c;
  c.warning_id = id_param(req);
  c.action = action;
  c.level = f.str("level", false, 16).value_or("");
  c.description = f.str("description", false, 4000).value_or("");
  c.note = f.str("note", false, 2000).value_or("");
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, std::move(c), std::move(respond));
}

void link_warning(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req, true);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"incident_id"});
  engine::LinkWarning c;
  c.warning_id = id_param(req);
  c.incident_id = f.str("incident_id", false, 64).value_or("");
  if (!f.ok()) return respond(f.take_error());
  auto view = ctx.engine->view();
  if (const auto* w = view->find_warning(c.warning_id)) {
    const std::string& j = w->jurisdiction;
    if (c.incident_id.empty() && !may(req, "incident.report", j)) return respond(forbidden("incident.report", j));
    if (!c.incident_id.empty())
      if (const auto* inc = view->find_incident(c.incident_id); inc && !may(req, "incident.read", inc->jurisdiction))
        return respond(http::error_response(404, "not_found", "no incident " + c.incident_id + " on this node"));
  }
  submit(ctx, req, std::move(c), std::move(respond));
}

// ---- the river ----

void get_river(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {})) return respond(std::move(*bad));
  auto view = ctx.engine->view();
  if (!view->river) return respond(http::error_response(404, "not_found", "no river network is loaded on this node"));
  json j = view->river->network->to_geojson();
  j["loaded_at"] = core::format_utc(view->river->loaded_at);
  j["loaded_by"] = view->river->by;
  respond(http::json_response(200, j));
}

void load_river(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto network = river::Network::from_geojson(req.body);
  if (!network) return respond(http::error_response(422, "invalid_network", network.status().message(), network.status().field()));
  if (!may(req, "monitoring.manage", ctx.engine->options().node))
    return respond(forbidden("monitoring.manage", ctx.engine->options().node));
  submit(ctx, req, engine::LoadRiverNetwork{req.body, std::make_shared<const river::Network>(std::move(*network))},
         std::move(respond));
}

// {site, at} (an exceedance at a section) or {reach, offset_m, at}, with mass_kg, dispersion_m2s,
// decay_per_day optional.
void predict(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"site", "station_id", "reach", "offset_m", "at", "mass_kg", "dispersion_m2s", "decay_per_day"});
  auto site = f.str("site", false, 128);
  auto station = f.str("station_id", false, 64);
  auto reach = f.str("reach", false, 128);
  auto offset = f.number("offset_m", 0, 1e8);
  auto at = f.time("at", true);
  auto mass = f.number("mass_kg", 1e-9, 1e12);
  auto dispersion = f.number("dispersion_m2s", 1e-6, 1e6);
  auto decay = f.number("decay_per_day", 0, 1e3);
  if (!f.ok()) return respond(f.take_error());
  auto view = ctx.engine->view();
  if (!view->river) return respond(http::error_response(409, "no_river_network", "no river network is loaded on this node"));
  const river::Network& net = *view->river->network;
  if (station) {
    const auto* s = view->find_monitoring_station(*station);
    if (!s) return respond(invalid_field("station_id", "no monitoring station " + *station + " on this node"));
    if (s->river_site.empty()) return respond(invalid_field("station_id", "station " + *station + " is not placed on the river"));
    site = s->river_site;
  }
  river::Release release;
  if (site) {
    const river::Site* st = net.site(*site);
    if (!st) return respond(invalid_field("site", "the river network has no site '" + *site + "'"));
    release = river::from_site(*st, *at);
  } else if (reach) {
    release.reach = *reach;
    release.offset_m = offset.value_or(0);
    release.at = *at;
  } else {
    return respond(invalid_field("site", "name the site (or station_id) of the exceedance, or a reach and offset_m"));
  }
  release.mass_kg = mass;
  release.dispersion_m2s = dispersion;
  release.decay_per_day = decay;
  auto p = river::predict(net, release);
  if (!p) return respond(http::status_response(p.status()));
  respond(http::json_response(200, river::to_json(*p)));
}

// ---- tracked objects and fences ----

void list_objects(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  std::unordered_map<std::string, watch::ObjectFix> at;
  if (ctx.watch)
    for (auto& f : ctx.watch->objects()) at.emplace(f.object_id, f);
  json items = json::array();
  for (size_t i = 0; i < view->tracked_objects.size(); ++i) {
    const auto& o = view->tracked_objects[i];
    if (!may(req, "monitoring.read", o.jurisdiction)) continue;
    json j = engine::to_json(o);
    auto p = at.find(o.id);
    j["position"] = p == at.end() ? json(nullptr)
                                  : json{{"time", core::format_utc(p->second.time)},
                                         {"lon", p->second.position.lon},
                                         {"lat", p->second.position.lat},
                                         {"speed_kmh", p->second.speed_kmh ? json(*p->second.speed_kmh) : json(nullptr)}};
    items.push_back(std::move(j));
  }
  respond(http::json_response(200, {{"objects", std::move(items)}}));
}

void create_object(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"jurisdiction", "kind", "name", "operator"});
  engine::TrackedObject o;
  o.jurisdiction = f.str("jurisdiction", true, 6).value_or("");
  o.kind = f.str("kind", true, 32).value_or("");
  o.name = f.str("name", true, 200).value_or("");
  o.operator_name = f.str("operator", false, 200).value_or("");
  if (!f.ok()) return respond(f.take_error());
  if (!may(req, "monitoring.manage", o.jurisdiction)) return respond(forbidden("monitoring.manage", o.jurisdiction));
  submit(ctx, req, engine::RegisterTrackedObject{std::move(o)}, std::move(respond));
}

void list_fences(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto view = ctx.engine->view();
  json items = json::array();
  for (size_t i = 0; i < view->fences.size(); ++i)
    if (may(req, "monitoring.read", view->fences[i].jurisdiction)) items.push_back(engine::to_json(view->fences[i]));
  respond(http::json_response(200, {{"fences", std::move(items)}}));
}

void create_fence(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  const json& o = value_of(body);
  Fields f(o);
  f.only({"jurisdiction", "name", "kind", "area", "rules", "object_kinds", "warning_level"});
  engine::FenceRecord r;
  r.jurisdiction = f.str("jurisdiction", true, 6).value_or("");
  r.name = f.str("name", true, 200).value_or("");
  r.kind = f.str("kind", true, 32).value_or("");
  r.object_kinds = f.strings("object_kinds", 32, 32).value_or(std::vector<std::string>{});
  r.warning_level = f.str("warning_level", false, 16).value_or("");
  if (!f.ok()) return respond(f.take_error());
  if (!o.contains("area")) return respond(invalid_field("area", "a fence needs an area (a GeoJSON Polygon)"));
  auto poly = watch::polygon_from_geojson(o["area"]);
  if (!poly) return respond(http::status_response(poly.status()));
  r.area = o["area"];
  if (o.contains("rules")) {
    if (!o["rules"].is_object()) return respond(invalid_field("rules", "an object {enter, exit, dwell_s, speed_above_kmh}"));
    Fields g(o["rules"], "rules");
    g.only({"enter", "exit", "dwell_s", "speed_above_kmh"});
    r.on_enter = g.boolean("enter").value_or(false);
    r.on_exit = g.boolean("exit").value_or(false);
    r.dwell_s = g.integer("dwell_s", 1, 30 * 86400);
    r.speed_above_kmh = g.number("speed_above_kmh", 0.1, 999);
    if (!g.ok()) return respond(g.take_error());
  }
  if (!may(req, "monitoring.manage", r.jurisdiction)) return respond(forbidden("monitoring.manage", r.jurisdiction));
  submit(ctx, req, engine::CreateFence{std::move(r)}, std::move(respond));
}

void update_fence(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"active", "warning_level"});
  engine::UpdateFence c;
  c.fence_id = id_param(req);
  c.active = f.boolean("active");
  c.warning_level = f.str("warning_level", false, 16);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, std::move(c), std::move(respond));
}

}  // namespace

void add_monitoring_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/monitoring/stations", list_stations);
  add(r, ctx, "POST", "/api/v1/monitoring/stations", create_station);
  add_any_body(r, ctx, "POST", "/api/v1/monitoring/stations/import", import_stations);  // CSV or GeoJSON
  add(r, ctx, "GET", "/api/v1/monitoring/stations/{id}", get_station);
  add(r, ctx, "PATCH", "/api/v1/monitoring/stations/{id}", update_station);
  add(r, ctx, "GET", "/api/v1/monitoring/stations/{id}/readings", station_readings);
  add(r, ctx, "POST", "/api/v1/readings", post_readings);
  add_any_body(r, ctx, "POST", "/api/v1/readings/lines", post_reading_lines);  // text
  add(r, ctx, "GET", "/api/v1/warnings", list_warnings);
  add(r, ctx, "POST", "/api/v1/warnings", raise_warning);
  add(r, ctx, "GET", "/api/v1/warnings/{id}", get_warning);
  add(r, ctx, "POST", "/api/v1/warnings/{id}/confirm",
      [](ApiContext& c, http::Request& q, http::Responder s) { change_warning(c, q, std::move(s), "confirm"); });
  add(r, ctx, "POST", "/api/v1/warnings/{id}/issue",
      [](ApiContext& c, http::Request& q, http::Responder s) { change_warning(c, q, std::move(s), "issue"); });
  add(r, ctx, "POST", "/api/v1/warnings/{id}/update",
      [](ApiContext& c, http::Request& q, http::Responder s) { change_warning(c, q, std::move(s), "update"); });
  add(r, ctx, "POST", "/api/v1/warnings/{id}/lift",
      [](ApiContext& c, http::Request& q, http::Responder s) { change_warning(c, q, std::move(s), "lift"); });
  add(r, ctx, "POST", "/api/v1/warnings/{id}/link", link_warning);
  add(r, ctx, "GET", "/api/v1/river", get_river);
  add(r, ctx, "POST", "/api/v1/river", load_river);
  add(r, ctx, "POST", "/api/v1/river/predict", predict);
  add(r, ctx, "GET", "/api/v1/objects", list_objects);
  add(r, ctx, "POST", "/api/v1/objects", create_object);
  add(r, ctx, "GET", "/api/v1/fences", list_fences);
  add(r, ctx, "POST", "/api/v1/fences", create_fence);
  add(r, ctx, "PATCH", "/api/v1/fences/{id}", update_fence);
}

}  // namespace liandong::api::internal

namespace liandong::api {

core::Result<nlohmann::json> queue_reading_lines(ApiContext& ctx, const nlohmann::json& frame,
                                                 const std::function<bool(const std::string& jurisdiction)>& allowed) {
  if (!ctx.watch) return core::unavailable("monitoring is not available on this node");
  auto text = frame.find("lines");
  if (text == frame.end() || !text->is_string())
    return core::invalid("a readings frame needs \"lines\": text in the line protocol", "lines");
  if (text->get_ref<const std::string&>().size() > (8u << 20))
    return core::invalid("at most 8 MiB of lines a frame", "lines");
  readings::ParsedLines parsed = readings::parse_lines(text->get_ref<const std::string&>());
  size_t received = parsed.readings.size() + parsed.errors.size();
  if (received > internal::kMaxReadings)
    return core::invalid("at most " + std::to_string(internal::kMaxReadings) + " lines a frame", "lines");
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& e : parsed.errors) problems.push_back({{"line", e.line}, {"field", ""}, {"message", e.message}});
  std::vector<readings::Reading> rs;
  auto view = ctx.engine->view();
  for (size_t i = 0; i < parsed.readings.size(); ++i) {
    auto& r = parsed.readings[i];
    const auto* s = view->find_monitoring_station(r.station);
    std::string why = !s                      ? "no monitoring station " + r.station + " on this node"
                      : !s->parameter(r.parameter) ? "station " + r.station + " does not measure " + r.parameter
                      : !allowed(s->jurisdiction)  ? "you may not send readings of stations in " + s->jurisdiction
                                                   : std::string();
    if (!why.empty()) {
      problems.push_back({{"line", parsed.reading_lines[i]}, {"field", !s ? "station" : "parameter"}, {"message", why}});
      continue;
    }
    rs.push_back(std::move(r));
  }
  size_t queued = rs.size();
  if (!rs.empty())
    ctx.watch->ingest(std::move(rs), [](core::Result<watch::IngestAnswer> a) {
      if (!a) core::log::warn("readings from the stream not stored", {{"error", a.status().to_string()}});
    });
  return nlohmann::json{{"type", "readings_result"}, {"received", received}, {"queued", queued},
                        {"rejected", problems.size()}, {"problems", std::move(problems)}};
}

}  // namespace liandong::api
