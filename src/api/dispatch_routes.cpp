// Recommendation and dispatch on an incident, response intervals and coverage (docs/API.md
// "Units, positions and dispatch").
#include <cmath>
#include <set>

#include "api/roads.h"
#include "api/routes_common.h"
#include "core/jurisdiction.h"
#include "dispatch/coverage.h"
#include "dispatch/intervals.h"
#include "dispatch/move_up.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

json seconds(std::optional<core::Millis> ms) { return ms ? json(double(ms->count()) / 1000.0) : json(nullptr); }
json seconds_ms(std::optional<uint32_t> ms) {
  return ms ? json(std::round(double(*ms) / 100.0) / 10.0) : json(nullptr);
}

json requirement_json(const dispatch::Requirement& r) {
  json a = json::array();
  for (const auto& s : r.slots) a.push_back({{"type", s.type}, {"count", s.count}, {"capabilities", s.capabilities}});
  return a;
}

json geometry_json(const std::vector<routing::Coord>& coords) {
  if (coords.empty()) return nullptr;
  json c = json::array();
  for (const auto& p : coords) c.push_back({p.lon(), p.lat()});
  return {{"type", "LineString"}, {"coordinates", std::move(c)}};
}

json recommended_json(const fleet::RecommendedUnit& u) {
  return {{"unit_id", u.unit_id},
          {"call_sign", u.call_sign},
          {"type", u.type},
          {"jurisdiction", u.jurisdiction},
          {"agency_id", u.agency_id},
          {"status", u.status},
          {"eta_s", seconds_ms(u.eta_ms)},
          {"length_m", u.length_m ? json(*u.length_m) : json(nullptr)},
          {"straight_m", std::round(u.straight_m * 10) / 10},
          {"mutual_aid_rule", u.mutual_aid_rule.empty() ? json(nullptr) : json(u.mutual_aid_rule)},
          {"position", position_json(u.position)},
          {"route", geometry_json(u.route)}};
}

// The requirement of a request body: [{type, count, capabilities?}].
Parsed<dispatch::Requirement> parse_requirement(const json& body) {
  const json& a = body["requirement"];
  if (!a.is_array()) return invalid_field("requirement", "requirement must be an array of {type, count, capabilities}");
  if (a.size() > 64) return invalid_field("requirement", "at most 64 slots");
  dispatch::Requirement r;
  for (size_t i = 0; i < a.size(); ++i) {
    std::string at = "requirement[" + std::to_string(i) + "]";
    if (!a[i].is_object()) return invalid_field(at, "a slot must be an object {type, count, capabilities}");
    Fields f(a[i], at);
    f.only({"type", "count", "capabilities"});
    dispatch::Slot s;
    s.type = f.str("type", true, 32).value_or("");
    s.count = uint32_t(f.integer("count", 1, 50).value_or(1));
    s.capabilities = f.strings("capabilities", 32, 48).value_or(std::vector<std::string>{});
    if (!f.ok()) return f.take_error();
    r.slots.push_back(std::move(s));
  }
  if (auto st = dispatch::check(r); !st.is_ok())
    return invalid_field(st.field().empty() ? "requirement" : "requirement." + st.field(), st.message());
  return r;
}

// The newest active activation of the incident whose level names a force, or nullptr.
const engine::Activation* active_plan_force(const engine::View& view, const std::string& incident_id) {
  const engine::Activation* found = nullptr;
  for (const auto* a : view.activations_of(incident_id))
    if (a->active() && !a->forces.empty()) found = a;
  return found;
}

void recommend(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req, /*allow_empty=*/true);
  if (failed(body)) return respond(std::move(error_of(body)));
  json& j = value_of(body);
  Fields f(j);
  f.only({"requirement", "routes"});
  bool routes = f.boolean("routes").value_or(true);
  if (!f.ok()) return respond(f.take_error());
  std::string id(*req.param("id"));
  auto view = ctx.engine->view();
  const engine::Incident* inc = view->find_incident(id);
  if (!inc) return respond(http::error_response(404, "not_found", "no incident " + id + " on this node"));
  if (!inc->location)
    return respond(http::error_response(409, "not_located",
                                        "incident " + id + " has no location yet: place it on the map first"));
  dispatch::Requirement requirement;
  std::string source = "request";
  if (j.contains("requirement") && !j["requirement"].is_null()) {
    auto r = parse_requirement(j);
    if (failed(r)) return respond(std::move(error_of(r)));
    requirement = std::move(value_of(r));
  } else if (const engine::Activation* act = active_plan_force(*view, inc->id)) {
    // The force of the plan in force on the incident (its current level).
    for (const auto& f : act->forces) requirement.slots.push_back({f.type, f.count, f.capabilities});
    source = "plan " + act->plan_id + " level " + act->level + " (" + act->id + ")";
  } else {
    const auto* type = ctx.engine->taxonomy().find(inc->type);
    if (!type || type->response.empty())
      return respond(http::error_response(400, "requirement_needed",
                                          "incident type '" + inc->type +
                                              "' has no default force: give a requirement",
                                          "requirement"));
    for (const auto& s : type->response) requirement.slots.push_back({s.type, s.count, s.capabilities});
    source = "type_default";
  }
  if (!ctx.fleet) return respond(http::error_response(503, "unavailable", "recommendations are not available on this node"));
  auto rec = ctx.fleet->recommend({inc->id, inc->jurisdiction, *inc->location, requirement, routes});
  if (!rec) {
    auto st = rec.status();
    if (st.code() == core::Code::kInvalidArgument)
      return respond(invalid_field(st.field().empty() ? "requirement" : "requirement." + st.field(), st.message()));
    return respond(http::status_response(st));
  }
  json slots = json::array();
  for (const auto& s : rec->slots) {
    json units = json::array(), alternatives = json::array();
    for (const auto& u : s.units) units.push_back(recommended_json(u));
    for (const auto& u : s.alternatives) alternatives.push_back(recommended_json(u));
    slots.push_back({{"type", s.slot.type},
                     {"count", s.slot.count},
                     {"capabilities", s.slot.capabilities},
                     {"unfilled", s.unfilled},
                     {"units", std::move(units)},
                     {"alternatives", std::move(alternatives)}});
  }
  respond(http::json_response(
      200, {{"incident_id", inc->id},
            {"method", rec->method},
            {"notice", rec->notice.empty() ? json(nullptr) : json(rec->notice)},
            {"requirement", requirement_json(requirement)},
            {"requirement_source", source},
            {"computed_at", core::format_utc(ctx.clock->now())},
            {"micros", rec->micros},
            {"incident_snap_m", std::round(rec->incident_snap_m * 10) / 10},
            {"total_eta_s", rec->method == "road" ? json(std::round(double(rec->total_eta_ms) / 100.0) / 10.0)
                                                  : json(nullptr)},
            {"considered", rec->considered},
            {"slots", std::move(slots)}}));
}

void dispatch_units(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  json& j = value_of(body);
  Fields f(j);
  f.only({"units", "recommended"});
  bool recommended = f.boolean("recommended").value_or(false);
  if (!f.ok()) return respond(f.take_error());
  if (!j.contains("units") || !j["units"].is_array() || j["units"].empty() || j["units"].size() > 100)
    return respond(invalid_field("units", "units must be an array of 1 to 100 {unit_id, eta_s?}"));
  engine::DispatchUnits c;
  c.incident_id = std::string(*req.param("id"));
  c.recommended = recommended;
  for (size_t i = 0; i < j["units"].size(); ++i) {
    const json& u = j["units"][i];
    std::string at = "units[" + std::to_string(i) + "]";
    if (!u.is_object()) return respond(invalid_field(at, "a unit must be an object {unit_id, eta_s?}"));
    Fields uf(u, at);
    uf.only({"unit_id", "eta_s"});
    auto unit_id = uf.str("unit_id", true, 64);
    auto eta = uf.number("eta_s", 0, 7 * 86400);
    if (!uf.ok()) return respond(uf.take_error());
    engine::DispatchUnits::Pick pick{*unit_id, std::nullopt};
    if (eta) pick.eta_s = uint32_t(std::lround(*eta));
    c.units.push_back(std::move(pick));
  }
  submit(ctx, req, std::move(c), std::move(respond));
}

}  // namespace

dispatch::IncidentTimes times_of(const engine::Incident& inc) {
  dispatch::IncidentTimes t;
  t.received_at = inc.opened_at;
  for (const auto& a : inc.assignments) {
    dispatch::UnitTimes u;
    u.unit_id = a.unit_id;
    u.unit_type = a.unit_type;
    u.agency_id = a.agency_id;
    u.dispatched_at = a.dispatched_at;
    u.en_route_at = a.en_route_at;
    u.on_scene_at = a.on_scene_at;
    u.cleared_at = a.cleared_at;
    // A unit taken off before it arrived did not respond: it counts for call processing only.
    u.recalled = (a.ended == "recalled" || a.ended == "reassigned") && !a.on_scene_at;
    t.units.push_back(std::move(u));
  }
  return t;
}

namespace {

json targets_json(const dispatch::Targets& t) {
  return {{"call_processing_s", double(t.call_processing.count()) / 1000},
          {"turnout_medical_s", double(t.turnout_medical.count()) / 1000},
          {"turnout_fire_s", double(t.turnout_fire.count()) / 1000},
          {"travel_first_engine_s", double(t.travel_first_engine.count()) / 1000},
          {"percentile", t.percentile}};
}

void incident_intervals(ApiContext& ctx, http::Request& req, http::Responder respond) {
  std::string id(*req.param("id"));
  auto view = ctx.engine->view();
  const engine::Incident* inc = view->find_incident(id);
  if (!inc) return respond(http::error_response(404, "not_found", "no incident " + id + " on this node"));
  auto iv = dispatch::intervals(times_of(*inc));
  json units = json::array();
  for (size_t k = 0; k < iv.units.size(); ++k) {
    const auto& u = iv.units[k];
    units.push_back({{"unit_id", u.unit_id},
                     {"call_sign", inc->assignments[k].call_sign},
                     {"unit_type", u.unit_type},
                     {"agency_id", u.agency_id},
                     {"dispatch_s", seconds(u.dispatch)},
                     {"turnout_s", seconds(u.turnout)},
                     {"travel_s", seconds(u.travel)},
                     {"arrival_s", seconds(u.arrival)},
                     {"recalled", u.recalled}});
  }
  respond(http::json_response(200, {{"incident_id", id},
                                    {"received_at", core::format_utc(inc->opened_at)},
                                    {"call_processing_s", seconds(iv.call_processing)},
                                    {"turnout_first_s", seconds(iv.turnout_first)},
                                    {"travel_first_s", seconds(iv.travel_first)},
                                    {"travel_first_engine_s", seconds(iv.travel_first_engine)},
                                    {"total_s", seconds(iv.total)},
                                    {"units", std::move(units)},
                                    {"targets", targets_json(ctx.dispatch.targets)}}));
}

json summary_json(const dispatch::Summary& s) {
  return {{"interval", s.interval},
          {"count", s.count},
          {"p50_s", seconds(s.p50)},
          {"at_percentile_s", seconds(s.at_percentile)},
          {"target_s", seconds(s.target)},
          {"share_within_target", s.share_within_target ? json(*s.share_within_target) : json(nullptr)},
          {"meets_target", s.meets_target ? json(*s.meets_target) : json(nullptr)}};
}

void all_intervals(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"from", "to", "agency", "jurisdiction"})) return respond(std::move(*bad));
  auto to = ctx.clock->now();
  auto from = to - core::Millis(30LL * 86400 * 1000);
  for (const char* name : {"from", "to"})
    if (auto v = req.query_param(name)) {
      auto t = core::parse_rfc3339(*v, name);
      if (!t) return respond(time_error(*v, t.status()));
      (std::string_view(name) == "from" ? from : to) = *t;
    }
  std::optional<core::JurisdictionCode> within;
  if (auto v = req.query_param("jurisdiction")) {
    auto code = core::JurisdictionCode::parse(*v);
    if (!code) return respond(bad_query("jurisdiction", code.status().message()));
    within = *code;
  }
  auto agency = req.query_param("agency");
  auto view = ctx.engine->view();
  std::vector<dispatch::IncidentIntervals> all;
  for (size_t i = 0; i < view->incidents.size(); ++i) {
    const auto& inc = view->incidents[i];
    if (inc.opened_at < from || inc.opened_at >= to || inc.assignments.empty()) continue;
    if (within) {
      auto code = core::JurisdictionCode::parse(inc.jurisdiction);
      if (!code || !code->within(*within)) continue;
    }
    if (!may(req, "incident.read", inc.jurisdiction)) continue;
    auto iv = dispatch::intervals(times_of(inc));
    if (agency) {
      std::vector<dispatch::UnitIntervals> own;
      for (const auto& u : iv.units)
        if (u.agency_id == *agency) own.push_back(u);
      if (own.empty()) continue;
      auto first = dispatch::first_of(std::move(own));
      iv = std::move(first);
    }
    all.push_back(std::move(iv));
  }
  json overall = json::array();
  for (const auto& s : dispatch::summarize(all, ctx.dispatch.targets)) overall.push_back(summary_json(s));
  json agencies = json::array();
  for (const auto& a : dispatch::summarize_by_agency(all, ctx.dispatch.targets)) {
    json intervals = json::array();
    for (const auto& s : a.intervals) intervals.push_back(summary_json(s));
    const auto* ag = view->find_agency(a.agency_id);
    agencies.push_back({{"agency_id", a.agency_id},
                        {"name", ag ? json(ag->name) : json(nullptr)},
                        {"intervals", std::move(intervals)}});
  }
  respond(http::json_response(200, {{"from", core::format_utc(from)},
                                    {"to", core::format_utc(to)},
                                    {"incidents", all.size()},
                                    {"targets", targets_json(ctx.dispatch.targets)},
                                    {"overall", std::move(overall)},
                                    {"agencies", std::move(agencies)}}));
}

void coverage(ApiContext& ctx, http::Request& req, http::Responder respond) {
  if (auto bad = unknown_params(req, {"type", "target_s", "moves"})) return respond(std::move(*bad));
  auto type = req.query_param("type");
  if (!type) return respond(bad_query("type", "type (a unit type) is required"));
  const auto& types = ctx.engine->unit_types();
  if (std::find(types.begin(), types.end(), *type) == types.end())
    return respond(bad_query("type", "unknown unit type '" + std::string(*type) + "'"));
  auto whole = [](std::string_view s, uint32_t lo, uint32_t hi) -> std::optional<uint32_t> {
    uint64_t n = 0;
    if (!parse_whole(s, n) || n < lo || n > hi) return std::nullopt;
    return uint32_t(n);
  };
  uint32_t target_s = ctx.dispatch.coverage_target_s, moves = ctx.dispatch.max_move_ups;
  if (auto v = req.query_param("target_s")) {
    auto n = whole(*v, 30, 3600);
    if (!n) return respond(bad_query("target_s", "target_s must be 30 to 3600"));
    target_s = *n;
  }
  if (auto v = req.query_param("moves")) {
    auto n = whole(*v, 0, 10);
    if (!n) return respond(bad_query("moves", "moves must be 0 to 10"));
    moves = *n;
  }
  if (!ctx.roads) return respond(http::error_response(503, "no_road_network", "this node has no road network loaded"));
  if (!ctx.fleet) return respond(http::error_response(503, "unavailable", "unit positions are not available on this node"));
  auto view = ctx.engine->view();
  auto cov = dispatch::Coverage::create(ctx.roads->graph());
  if (!cov) return respond(http::status_response(cov.status()));
  std::vector<dispatch::Site> units;
  std::vector<std::string> unit_ids;
  for (auto& [id, place] : ctx.fleet->dispatchable_places(*type)) {
    const engine::Unit* u = view->find_unit(id);
    if (!u || !may(req, "unit.read", u->jurisdiction, u->agency_id)) continue;
    units.push_back({uint32_t(unit_ids.size()), place});
    unit_ids.push_back(id);
  }
  // Posts: the stations of the agencies that run units of this type (an engine moves up to a fire
  // station, not to a police station).
  std::set<std::string> agencies;
  for (size_t i = 0; i < view->units.size(); ++i)
    if (view->units[i].type == *type) agencies.insert(view->units[i].agency_id);
  std::vector<dispatch::Site> posts;
  std::vector<const engine::Station*> stations;
  for (size_t i = 0; i < view->stations.size(); ++i) {
    const auto& s = view->stations[i];
    if (!agencies.count(s.agency_id) || !may(req, "unit.read", s.jurisdiction, s.agency_id)) continue;
    auto snapped = ctx.roads->snap_index().snap(s.location.lon, s.location.lat, ctx.roads->options().snap_max_m);
    if (!snapped) continue;
    posts.push_back({uint32_t(stations.size()), snapped->place});
    stations.push_back(&s);
  }
  std::vector<routing::Place> places;
  for (const auto& u : units) places.push_back(u.place);
  uint32_t limit_ms = target_s * 1000;
  double share = cov->share(places, limit_ms);
  json move_ups = json::array();
  if (moves > 0) {
    dispatch::MoveUpOptions o;
    o.max_moves = moves;
    for (const auto& m : dispatch::suggest_move_ups(*cov, units, posts, limit_ms, o)) {
      const engine::Unit* u = view->find_unit(unit_ids[m.unit]);
      move_ups.push_back({{"unit_id", unit_ids[m.unit]},
                          {"call_sign", u ? u->call_sign : ""},
                          {"to_station_id", stations[m.post]->id},
                          {"to_station", stations[m.post]->name},
                          {"to", {{"lon", stations[m.post]->location.lon}, {"lat", stations[m.post]->location.lat}}},
                          {"share_before", m.share_before},
                          {"share_after", m.share_after},
                          {"travel_s", double(m.travel_ms) / 1000}});
    }
  }
  respond(http::json_response(200, {{"type", *type},
                                    {"target_s", target_s},
                                    {"method", "road"},
                                    {"share", share},
                                    {"units", units.size()},
                                    {"posts", posts.size()},
                                    {"move_ups", std::move(move_ups)}}));
}

}  // namespace

void add_dispatch_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "POST", "/api/v1/incidents/{id}/recommend", recommend);
  add(r, ctx, "POST", "/api/v1/incidents/{id}/dispatch", dispatch_units);
  add(r, ctx, "GET", "/api/v1/incidents/{id}/intervals", incident_intervals);
  add(r, ctx, "GET", "/api/v1/intervals", all_intervals);
  add(r, ctx, "GET", "/api/v1/coverage", coverage);
}

}  // namespace liandong::api::internal
