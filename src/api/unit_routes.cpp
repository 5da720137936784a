// The unit registry (units, stations, agencies), unit status, recall and reassignment, position
// fixes and unit tracks (docs/API.md "Units, positions and dispatch").
#include <algorithm>

#include "api/internal/csv.h"
#include "api/routes_common.h"
#include "core/log.h"
#include "core/ids.h"
#include "core/jurisdiction.h"

namespace liandong::api::internal {

using nlohmann::json;

json position_json(const fleet::UnitPosition& p) {
  bool placed = p.source != fleet::UnitPosition::Source::kNone;
  return {{"lon", placed ? json(p.at.lon) : json(nullptr)},
          {"lat", placed ? json(p.at.lat) : json(nullptr)},
          {"source", fleet::to_string(p.source)},
          {"time", p.fix_time ? json(core::format_utc(*p.fix_time)) : json(nullptr)},
          {"speed_kmh", p.speed_kmh ? json(*p.speed_kmh) : json(nullptr)},
          {"heading_deg", p.heading_deg ? json(*p.heading_deg) : json(nullptr)},
          {"stale", p.stale},
          {"on_road", p.on_road}};
}

json unit_json(const engine::Unit& u, const fleet::UnitPosition* position, bool with_history) {
  json j = engine::to_json(u);
  if (!with_history) j.erase("history");
  j["position"] = position ? position_json(*position) : json(nullptr);
  return j;
}

std::optional<fleet::UnitPosition> unit_position(const ApiContext& ctx, const std::string& unit_id) {
  if (!ctx.fleet) return std::nullopt;
  return ctx.fleet->position(unit_id);
}

namespace {

constexpr size_t kMaxFixes = 10000;

http::Response no_fleet() {
  return http::error_response(503, "unavailable", "unit positions are not available on this node");
}

// The positions of all units, by id sequence − 1 (empty without a fleet).
std::vector<std::optional<fleet::UnitPosition>> all_positions(const ApiContext& ctx, const engine::View& view) {
  std::vector<std::optional<fleet::UnitPosition>> out(view.units.size());
  if (!ctx.fleet) return out;
  for (auto& p : ctx.fleet->positions()) {
    auto i = engine::index_of(p.unit_id, view.node, core::kKindUnit, view.units.size());
    if (i >= 0) out[size_t(i)] = std::move(p);
  }
  return out;
}

bool within(std::string_view code, std::string_view ancestor) {
  auto c = core::JurisdictionCode::parse(code);
  auto a = core::JurisdictionCode::parse(ancestor);
  return c && a && c->within(*a);
}

std::string fmt_number(double v) {
  json j = v;
  return j.dump();
}

void list_units(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"status", "type", "jurisdiction", "format"})) return respond(std::move(*bad));
  auto status = req.query_param("status");
  auto type = req.query_param("type");
  std::optional<std::string> jurisdiction;
  if (auto v = req.query_param("jurisdiction")) {
    auto code = core::JurisdictionCode::parse(*v);
    if (!code) return respond(bad_query("jurisdiction", code.status().message()));
    jurisdiction = code->str();
  }
  std::string format(req.query_param("format").value_or("json"));
  if (format != "json" && format != "csv" && format != "geojson")
    return respond(bad_query("format", "format must be json, csv or geojson"));
  auto view = ctx.engine->view();
  auto positions = all_positions(ctx, *view);
  std::vector<size_t> shown;
  for (size_t i = 0; i < view->units.size(); ++i) {
    const auto& u = view->units[i];
    if (status && u.status != *status) continue;
    if (type && u.type != *type) continue;
    if (jurisdiction && !within(u.jurisdiction, *jurisdiction)) continue;
    if (!may(req, "unit.read", u.jurisdiction, u.agency_id)) continue;
    shown.push_back(i);
  }
  if (format == "csv") {
    std::string out = csv_line({"id", "call_sign", "type", "jurisdiction", "agency_id", "station_id", "capabilities",
                                "crew", "status", "status_since", "incident_id", "lon", "lat", "position_source",
                                "stale"});
    for (size_t i : shown) {
      const auto& u = view->units[i];
      std::string caps;
      for (const auto& c : u.capabilities) caps += (caps.empty() ? "" : ";") + c;
      const auto& p = positions[i];
      bool placed = p && p->source != fleet::UnitPosition::Source::kNone;
      out += csv_line({u.id, u.call_sign, u.type, u.jurisdiction, u.agency_id, u.station_id, caps,
                       std::to_string(u.crew), u.status, core::format_utc(u.status_since), u.incident_id,
                       placed ? fmt_number(p->at.lon) : "", placed ? fmt_number(p->at.lat) : "",
                       p ? fleet::to_string(p->source) : "", p ? (p->stale ? "true" : "false") : ""});
    }
    http::Response r;
    r.status = 200;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(out);
    r.with_header("Content-Disposition", "attachment; filename=\"units.csv\"");
    return respond(std::move(r));
  }
  if (format == "geojson") {
    json features = json::array();
    for (size_t i : shown) {
      const auto& p = positions[i];
      json props = unit_json(view->units[i], p ? &*p : nullptr, false);
      json geometry = nullptr;
      if (p && p->source != fleet::UnitPosition::Source::kNone)
        geometry = {{"type", "Point"}, {"coordinates", {p->at.lon, p->at.lat}}};
      features.push_back({{"type", "Feature"}, {"id", view->units[i].id}, {"geometry", geometry}, {"properties", props}});
    }
    auto r = http::json_response(200, {{"type", "FeatureCollection"}, {"features", std::move(features)}});
    r.content_type = "application/geo+json";
    return respond(std::move(r));
  }
  json items = json::array();
  for (size_t i : shown) items.push_back(unit_json(view->units[i], positions[i] ? &*positions[i] : nullptr, false));
  json stations = json::array();
  for (size_t i = 0; i < view->stations.size(); ++i)
    if (const auto& s = view->stations[i]; may(req, "unit.read", s.jurisdiction, s.agency_id))
      stations.push_back(engine::to_json(s));
  json agencies = json::array();
  for (size_t i = 0; i < view->agencies.size(); ++i)
    if (const auto& a = view->agencies[i]; may(req, "unit.read", a.jurisdiction, a.id))
      agencies.push_back(engine::to_json(a));
  respond(http::json_response(200, {{"items", std::move(items)}, {"stations", std::move(stations)},
                                    {"agencies", std::move(agencies)}}));
}

void get_unit(ApiContext& ctx, http::Request& req, http::Responder respond) {
  std::string id(*req.param("id"));
  auto view = ctx.engine->view();
  const engine::Unit* u = view->find_unit(id);
  if (!u) return respond(http::error_response(404, "not_found", "no unit " + id + " on this node"));
  auto p = unit_position(ctx, id);
  respond(http::json_response(200, unit_json(*u, p ? &*p : nullptr, true)));
}

// The unit fields of a create or import body (everything but the engine's own fields).
engine::Unit unit_from_fields(Fields& f) {
  engine::Unit u;
  u.jurisdiction = f.str("jurisdiction", true, 6).value_or("");
  u.call_sign = f.str("call_sign", true, 64).value_or("");
  u.type = f.str("type", true, 32).value_or("");
  u.agency_id = f.str("agency_id", false, 64).value_or("");
  u.station_id = f.str("station_id", false, 64).value_or("");
  u.capabilities = f.strings("capabilities", 32, 48).value_or(std::vector<std::string>{});
  u.crew = uint32_t(f.integer("crew", 0, 200).value_or(0));
  u.status = f.str("status", false, 32).value_or("available");
  return u;
}

void create_unit(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"jurisdiction", "call_sign", "type", "agency_id", "station_id", "capabilities", "crew", "status"});
  engine::Unit u = unit_from_fields(f);
  if (!f.ok()) return respond(f.take_error());
  if (!may(req, "unit.manage", u.jurisdiction)) return respond(forbidden("unit.manage", u.jurisdiction));
  submit(ctx, req, engine::RegisterUnit{std::move(u)}, std::move(respond));
}

struct ImportRow {
  std::string where_key;  // "line" or "feature"
  size_t where = 0;
  engine::Unit unit;
};

json row_error(const std::string& key, size_t where, std::string field, std::string message) {
  return {{key, where}, {"field", std::move(field)}, {"message", std::move(message)}};
}

// CSV rows into units; errors collected, one per bad row.
void read_csv_units(std::string_view text, std::vector<ImportRow>& rows, json& errors) {
  auto parsed = parse_csv(text);
  if (!parsed) {
    errors.push_back(row_error("line", 0, "body", parsed.status().message()));
    return;
  }
  if (parsed->empty()) {
    errors.push_back(row_error("line", 1, "body", "the CSV has no header row"));
    return;
  }
  const auto& header = (*parsed)[0].fields;
  auto col = [&](std::string_view name) -> int {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return int(i);
    return -1;
  };
  for (const char* needed : {"call_sign", "type", "jurisdiction"})
    if (col(needed) < 0) errors.push_back(row_error("line", 1, needed, std::string("the header has no '") + needed + "' column"));
  if (!errors.empty()) return;
  for (size_t r = 1; r < parsed->size(); ++r) {
    const auto& row = (*parsed)[r];
    auto cell = [&](std::string_view name) -> std::string {
      int c = col(name);
      return c >= 0 && size_t(c) < row.fields.size() ? row.fields[size_t(c)] : std::string();
    };
    if (row.fields.size() != header.size()) {
      errors.push_back(row_error("line", row.line, "", "the row has " + std::to_string(row.fields.size()) +
                                                          " fields; the header has " + std::to_string(header.size())));
      continue;
    }
    ImportRow ir{"line", row.line, {}};
    engine::Unit& u = ir.unit;
    u.call_sign = cell("call_sign");
    u.type = cell("type");
    u.jurisdiction = cell("jurisdiction");
    u.agency_id = cell("agency_id");
    u.station_id = cell("station_id");
    std::string caps = cell("capabilities");
    for (size_t start = 0; !caps.empty() && start <= caps.size();) {
      size_t semi = caps.find(';', start);
      std::string cap = caps.substr(start, semi == std::string::npos ? std::string::npos : semi - start);
      if (!cap.empty()) u.capabilities.push_back(cap);
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
    if (std::string crew = cell("crew"); !crew.empty()) {
      uint64_t n = 0;
      if (!parse_whole(crew, n) || n > 200) {
        errors.push_back(row_error("line", row.line, "crew", "crew must be a whole number from 0 to 200"));
        continue;
      }
      u.crew = n;
    }
    if (std::string st = cell("status"); !st.empty()) u.status = st;
    for (const char* needed : {"call_sign", "type", "jurisdiction"})
      if (cell(needed).empty()) {
        errors.push_back(row_error("line", row.line, needed, std::string(needed) + " is empty"));
        goto next_row;
      }
    rows.push_back(std::move(ir));
  next_row:;
  }
}

void read_geojson_units(const std::string& text, std::vector<ImportRow>& rows, json& errors) {
  if (json_depth(text, max_json_depth() + 1) > max_json_depth()) {
    errors.push_back(row_error("feature", 0, "body", "the JSON nests too deeply"));
    return;
  }
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("type", "") != "FeatureCollection" ||
      !doc.contains("features") || !doc["features"].is_array()) {
    errors.push_back(row_error("feature", 0, "body", "the body must be a GeoJSON FeatureCollection"));
    return;
  }
  const auto& features = doc["features"];
  for (size_t i = 0; i < features.size(); ++i) {
    const auto& feature = features[i];
    if (!feature.is_object() || !feature.contains("properties") || !feature["properties"].is_object()) {
      errors.push_back(row_error("feature", i, "properties", "a feature needs an object of properties"));
      continue;
    }
    // An export's properties carry the engine's fields too: keep only what an import sets.
    json props = json::object();
    for (const char* k : {"jurisdiction", "call_sign", "type", "agency_id", "station_id", "capabilities", "crew", "status"})
      if (feature["properties"].contains(k)) props[k] = feature["properties"][k];
    if (props.contains("status") && props["status"] != "out_of_service") props.erase("status");
    Fields f(props, "features[" + std::to_string(i) + "].properties");
    engine::Unit u = unit_from_fields(f);
    if (!f.ok()) {
      auto r = f.take_error();
      json e = json::parse(r.body, nullptr, false);
      errors.push_back(row_error("feature", i, e.value("field", ""), e.value("message", "invalid")));
      continue;
    }
    rows.push_back({"feature", i, std::move(u)});
  }
}

void import_units(ApiContext& ctx, http::Request& req, http::Responder respond) {
  std::string ct = req.header("Content-Type").value_or("");
  std::transform(ct.begin(), ct.end(), ct.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  std::vector<ImportRow> rows;
  json errors = json::array();
  if (ct.rfind("text/csv", 0) == 0) {
    read_csv_units(req.body, rows, errors);
  } else if (ct.rfind("application/geo+json", 0) == 0 || http::is_json_content_type(ct)) {
    read_geojson_units(req.body, rows, errors);
  } else {
    return respond(http::error_response(415, "unsupported_media_type",
                                        "send text/csv or application/geo+json (a FeatureCollection)"));
  }
  for (const auto& r : rows)
    if (errors.empty() && !may(req, "unit.manage", r.unit.jurisdiction))
      return respond(forbidden("unit.manage", r.unit.jurisdiction));
  if (errors.empty() && rows.empty()) errors.push_back(row_error("line", 0, "body", "no units to import"));
  if (!errors.empty()) {
    json body = {{"code", "invalid_rows"},
                 {"message", std::to_string(errors.size()) + " row(s) are not valid; nothing was imported"},
                 {"errors", std::move(errors)}};
    return respond(http::json_response(400, body));
  }
  engine::RegisterUnits cmd;
  for (const auto& r : rows) cmd.units.push_back(r.unit);
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  ctx.engine->submit(std::move(cmd), actor(req), [shared, rows = std::move(rows)](core::Result<engine::Outcome> r) {
    if (r.is_ok()) return (*shared)(http::json_response(201, r->body));
    // "units[i].field" from the engine → the row's line or feature.
    const auto& st = r.status();
    std::string field = st.field();
    size_t open = field.find('['), close = field.find(']');
    if (field.rfind("units[", 0) == 0 && close != std::string::npos) {
      size_t i = std::stoul(field.substr(open + 1, close - open - 1));
      std::string rest = close + 2 <= field.size() ? field.substr(close + 2) : "";
      if (i < rows.size()) {
        json body = {{"code", "invalid_rows"},
                     {"message", "1 row is not valid; nothing was imported"},
                     {"errors", json::array({row_error(rows[i].where_key, rows[i].where, rest, st.message())})}};
        return (*shared)(http::json_response(st.code() == core::Code::kConflict ? 409 : 400, body));
      }
    }
    (*shared)(http::status_response(st));
  });
}

void patch_unit(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"call_sign", "type", "agency_id", "station_id", "capabilities", "crew"});
  engine::UpdateUnit c;
  c.unit_id = std::string(*req.param("id"));
  c.call_sign = f.str("call_sign", false, 64);
  c.type = f.str("type", false, 32);
  c.agency_id = f.str("agency_id", false, 64);
  c.station_id = f.str("station_id", false, 64);
  c.capabilities = f.strings("capabilities", 32, 48);
  if (auto crew = f.integer("crew", 0, 200)) c.crew = uint32_t(*crew);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, std::move(c), std::move(respond));
}

void unit_status(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"status", "reason", "at"});
  auto status = f.str("status", true, 32);
  auto reason = f.str("reason", false, 2000);
  auto at = f.time("at");
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::ChangeUnitStatus{std::string(*req.param("id")), *status, reason.value_or(""), at},
         std::move(respond));
}

void recall_unit(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"reason"});
  auto reason = f.str("reason", true, 2000);
  if (!f.ok()) return respond(f.take_error());
  submit(ctx, req, engine::RecallUnit{std::string(*req.param("id")), *reason}, std::move(respond));
}

void reassign_unit(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"incident_id", "reason", "eta_s"});
  auto incident = f.str("incident_id", true, 64);
  auto reason = f.str("reason", true, 2000);
  auto eta = f.integer("eta_s", 0, 7 * 86400);
  if (!f.ok()) return respond(f.take_error());
  auto view = ctx.engine->view();
  if (const auto* inc = view->find_incident(*incident); inc && !may(req, "unit.dispatch", inc->jurisdiction))
    return respond(forbidden("unit.dispatch", inc->jurisdiction));
  engine::ReassignUnit c{std::string(*req.param("id")), *incident, *reason, std::nullopt};
  if (eta) c.eta_s = uint32_t(*eta);
  submit(ctx, req, std::move(c), std::move(respond));
}

void unit_track(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"from", "to", "limit"})) return respond(std::move(*bad));
  if (!ctx.positions) return respond(no_fleet());
  std::string id(*req.param("id"));
  auto to = ctx.clock->now() + core::Millis(1);
  auto from = to - core::Millis(24LL * 3600 * 1000);
  for (const char* name : {"from", "to"})
    if (auto v = req.query_param(name)) {
      auto t = core::parse_rfc3339(*v, name);
      if (!t) return respond(time_error(*v, t.status()));
      (std::string_view(name) == "from" ? from : to) = *t;
    }
  size_t limit = 1000;
  if (auto v = req.query_param("limit")) {
    uint64_t n = 0;
    if (!parse_whole(*v, n) || n < 1 || n > 10000) return respond(bad_query("limit", "limit must be 1 to 10000"));
    limit = n;
  }
  auto fixes = ctx.positions->history(id, from, to, limit);
  if (!fixes) return respond(http::status_response(fixes.status()));
  json items = json::array();
  for (const auto& x : *fixes) {
    json j = {{"time", core::format_utc(x.time)}, {"lon", x.lon}, {"lat", x.lat}};
    if (x.speed_kmh) j["speed_kmh"] = *x.speed_kmh;
    if (x.heading_deg) j["heading_deg"] = *x.heading_deg;
    if (x.accuracy_m) j["accuracy_m"] = *x.accuracy_m;
    items.push_back(std::move(j));
  }
  respond(http::json_response(200, {{"unit_id", id}, {"from", core::format_utc(from)}, {"to", core::format_utc(to)},
                                    {"items", std::move(items)}}));
}

void create_station(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"jurisdiction", "name", "agency_id", "location"});
  engine::Station s;
  s.jurisdiction = f.str("jurisdiction", true, 6).value_or("");
  s.name = f.str("name", true, 200).value_or("");
  s.agency_id = f.str("agency_id", false, 64).value_or("");
  s.location = f.lonlat("location", true).value_or(core::LonLat{});
  if (!f.ok()) return respond(f.take_error());
  if (!may(req, "unit.manage", s.jurisdiction)) return respond(forbidden("unit.manage", s.jurisdiction));
  submit(ctx, req, engine::RegisterStation{std::move(s)}, std::move(respond));
}

void create_agency(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"jurisdiction", "name", "kind"});
  engine::Agency a;
  a.jurisdiction = f.str("jurisdiction", true, 6).value_or("");
  a.name = f.str("name", true, 200).value_or("");
  a.kind = f.str("kind", true, 32).value_or("");
  if (!f.ok()) return respond(f.take_error());
  if (!may(req, "unit.manage", a.jurisdiction)) return respond(forbidden("unit.manage", a.jurisdiction));
  submit(ctx, req, engine::RegisterAgency{std::move(a)}, std::move(respond));
}

}  // namespace

// Fixes from a JSON array (the body of POST /positions, or a stream frame's "fixes"); a malformed
// element becomes a rejected outcome at its index, so the good ones are kept.
FixBatch parse_fixes(const json& array) {
  FixBatch b;
  for (size_t i = 0; i < array.size(); ++i) {
    const json& o = array[i];
    auto reject = [&](std::string field, std::string message) {
      b.problems.push_back({{"index", i}, {"status", "rejected"}, {"field", std::move(field)}, {"message", std::move(message)}});
    };
    if (!o.is_object()) {
      reject("", "a fix must be an object");
      continue;
    }
    Fields f(o);
    f.only({"object_id", "time", "lon", "lat", "speed_kmh", "heading_deg", "accuracy_m"});
    fleet::Fix fix;
    fix.object_id = f.str("object_id", true, 64).value_or("");
    fix.time = f.time("time", true).value_or(core::Timestamp{});
    fix.lon = f.number("lon", -180, 180, true).value_or(0);
    fix.lat = f.number("lat", -90, 90, true).value_or(0);
    fix.speed_kmh = f.number("speed_kmh", -1e9, 1e9);
    fix.heading_deg = f.number("heading_deg", -1e9, 1e9);
    fix.accuracy_m = f.number("accuracy_m", -1e9, 1e9);
    if (!f.ok()) {
      auto r = f.take_error();
      json e = json::parse(r.body, nullptr, false);
      reject(e.value("field", ""), e.value("message", "invalid"));
      continue;
    }
    b.fixes.push_back(std::move(fix));
    b.index.push_back(i);
  }
  return b;
}

core::Result<json> ingest_fixes(ApiContext& ctx, FixBatch batch,
                                const std::function<bool(const std::string& jurisdiction)>& allowed) {
  if (!ctx.fleet) return core::unavailable("unit positions are not available on this node");
  size_t tracked = 0;  // fixes of tracked objects (hazardous-goods vehicles, vessels): to the watch
  {
    auto view = ctx.engine->view();
    FixBatch kept;
    kept.problems = std::move(batch.problems);
    std::vector<watch::ObjectFix> objects;
    for (size_t k = 0; k < batch.fixes.size(); ++k) {
      if (const engine::TrackedObject* o = view->find_tracked_object(batch.fixes[k].object_id)) {
        if (!allowed(o->jurisdiction) || !ctx.watch) {
          kept.problems.push_back({{"index", batch.index[k]}, {"status", "rejected"}, {"field", "object_id"},
                                   {"message", ctx.watch ? "you may not send positions of objects in " + o->jurisdiction
                                                         : std::string("tracked objects are not available on this node")}});
          continue;
        }
        const fleet::Fix& f = batch.fixes[k];
        objects.push_back(watch::ObjectFix{f.object_id, f.time, core::LonLat{f.lon, f.lat}, f.speed_kmh});
        continue;
      }
      const engine::Unit* u = view->find_unit(batch.fixes[k].object_id);
      if (u && !allowed(u->jurisdiction)) {
        kept.problems.push_back({{"index", batch.index[k]}, {"status", "rejected"}, {"field", "object_id"},
                                 {"message", "you may not send positions of units in " + u->jurisdiction}});
        continue;
      }
      kept.fixes.push_back(std::move(batch.fixes[k]));
      kept.index.push_back(batch.index[k]);
    }
    batch = std::move(kept);
    tracked = objects.size();
    // Checked against the fences on the watch's worker; what they hit is journaled there.
    if (!objects.empty())
      ctx.watch->track(std::move(objects), [](core::Result<watch::TrackAnswer> a) {
        if (!a) core::log::warn("positions of tracked objects not taken", {{"error", a.status().to_string()}});
      });
  }
  size_t parsed_rejects = batch.problems.size();
  auto outcomes = ctx.fleet->ingest(std::move(batch.fixes));
  if (!outcomes) return outcomes.status();
  size_t counts[4] = {tracked, 0, 0, parsed_rejects};
  json problems = std::move(batch.problems);
  for (size_t k = 0; k < outcomes->size(); ++k) {
    const auto& o = (*outcomes)[k];
    ++counts[size_t(o.kind)];
    if (o.kind == fleet::FixOutcome::Kind::kApplied) continue;
    json p = {{"index", batch.index[k]}, {"status", fleet::to_string(o.kind)}};
    if (o.kind == fleet::FixOutcome::Kind::kRejected) {
      p["field"] = o.field;
      p["message"] = o.reason;
    } else {
      p["message"] = o.kind == fleet::FixOutcome::Kind::kDuplicate
                         ? "the unit's newest fix has this time already"
                         : "older than the unit's newest fix: kept for its track, the unit stays where it is";
    }
    problems.push_back(std::move(p));
  }
  std::sort(problems.begin(), problems.end(),
            [](const json& a, const json& b) { return a["index"].get<size_t>() < b["index"].get<size_t>(); });
  return json{{"applied", counts[0]},
              {"duplicate", counts[1]},
              {"out_of_order", counts[2]},
              {"rejected", counts[3]},
              {"problems", std::move(problems)}};
}

namespace {

void post_positions(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (req.body.empty()) return respond(http::error_response(400, "malformed_json", "the body must be a JSON array of fixes"));
  if (json_depth(req.body, max_json_depth() + 1) > max_json_depth())
    return respond(http::error_response(400, "malformed_json", "the JSON nests too deeply"));
  json array = json::parse(req.body, nullptr, false);
  if (array.is_discarded() || !array.is_array())
    return respond(http::error_response(400, "malformed_json", "the body must be a JSON array of fixes"));
  if (array.size() > kMaxFixes)
    return respond(http::error_response(413, "too_large", "at most " + std::to_string(kMaxFixes) + " fixes a request"));
  auto r = ingest_fixes(ctx, parse_fixes(array),
                        [&req](const std::string& j) { return may(req, "position.ingest", j); });
  if (!r) return respond(http::status_response(r.status()));
  respond(http::json_response(200, *r));
}

}  // namespace

}  // namespace liandong::api::internal

namespace liandong::api {

core::Result<nlohmann::json> ingest_positions(ApiContext& ctx, const nlohmann::json& fixes,
                                              const std::function<bool(const std::string& jurisdiction)>& allowed) {
  return internal::ingest_fixes(ctx, internal::parse_fixes(fixes), allowed);
}

}  // namespace liandong::api

namespace liandong::api::internal {

void add_unit_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/units", list_units);
  add(r, ctx, "POST", "/api/v1/units", create_unit);
  add_any_body(r, ctx, "POST", "/api/v1/units/import", import_units);  // CSV as well as JSON
  add(r, ctx, "GET", "/api/v1/units/{id}", get_unit);
  add(r, ctx, "PATCH", "/api/v1/units/{id}", patch_unit);
  add(r, ctx, "POST", "/api/v1/units/{id}/status", unit_status);
  add(r, ctx, "POST", "/api/v1/units/{id}/recall", recall_unit);
  add(r, ctx, "POST", "/api/v1/units/{id}/reassign", reassign_unit);
  add(r, ctx, "GET", "/api/v1/units/{id}/track", unit_track);
  add(r, ctx, "POST", "/api/v1/stations", create_station);
  add(r, ctx, "POST", "/api/v1/agencies", create_agency);
  add(r, ctx, "POST", "/api/v1/positions", post_positions);
}

}  // namespace liandong::api::internal
