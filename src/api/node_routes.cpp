#include "api/routes_common.h"

namespace liandong::api::internal {

using nlohmann::json;

namespace {

void health(ApiContext& ctx, http::Request&, http::Responder respond) {
  auto view = ctx.engine->view();
  respond(http::json_response(200, {{"status", "ok"},
                                    {"seq", view->seq},
                                    {"jurisdiction", ctx.node.code},
                                    {"version", ctx.version},
                                    {"queue_depth", ctx.engine->queue_depth()}}));
}

void node(ApiContext& ctx, http::Request&, http::Responder respond) {
  const NodeInfo& n = ctx.node;
  respond(http::json_response(
      200, {{"jurisdiction", n.code},
            {"name", n.name},
            {"time_zone", n.time_zone},
            {"tree", n.tree},
            {"map", {{"center", {{"lon", n.center_lon}, {"lat", n.center_lat}}}, {"zoom", n.zoom}}},
            {"tile_url", n.tile_url.empty() ? json(nullptr) : json(n.tile_url)},
            {"roads", ctx.roads != nullptr},
            {"test_clock", ctx.test_clock != nullptr}}));
}

void taxonomy(ApiContext& ctx, http::Request&, http::Responder respond) {
  json types = json::array();
  for (const auto& t : ctx.engine->taxonomy().types())
    types.push_back({{"code", t.code},
                     {"category", core::to_string(t.category)},
                     {"family", t.family},
                     {"name_zh", t.name_zh},
                     {"name_en", t.name_en},
                     {"group", t.group},
                     {"response", taxonomy::format_response(t.response)}});
  auto list = [](auto table) {
    json a = json::array();
    for (auto s : table) a.push_back(std::string(s));
    return a;
  };
  respond(http::json_response(
      200, {{"categories", {"natural_disaster", "accident_disaster", "public_health", "social_safety"}},
            {"types", std::move(types)},
            {"grades", {"I", "II", "III", "IV"}},
            {"priorities", {"P1", "P2", "P3", "P4"}},
            {"channels", list(core::alarm_channels())},
            {"unit_types", ctx.engine->unit_types()},
            {"unit_statuses", list(core::unit_statuses())},
            {"statuses", {"reported", "verified", "responding", "contained", "closed", "cancelled"}}}));
}


void boundaries(ApiContext& ctx, http::Request&, http::Responder respond) {
  auto r = http::json_response(200, ctx.node.boundaries);
  r.content_type = "application/geo+json";
  respond(std::move(r));
}

void openapi(ApiContext&, http::Request&, http::Responder respond) {
  respond(http::json_response(200, openapi_document()));
}

void metrics_text(ApiContext& ctx, http::Request&, http::Responder respond) {
  http::Response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = ctx.metrics->render();
  respond(std::move(r));
}

void set_clock(ApiContext& ctx, http::Request& req, http::Responder respond) {
  auto body = json_object_body(req);
  if (failed(body)) return respond(std::move(error_of(body)));
  Fields f(value_of(body));
  f.only({"now", "advance_ms"});
  auto now = f.time("now");
  if (!f.ok()) return respond(f.take_error());
  const json& j = value_of(body);
  if (now) ctx.test_clock->set(*now);
  if (auto it = j.find("advance_ms"); it != j.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0)
      return respond(invalid_field("advance_ms", "advance_ms must be a non-negative whole number"));
    ctx.test_clock->advance(core::Millis{it->get<int64_t>()});
  }
  ctx.engine->poke();  // deadlines and drill injects due at the new time fire now
  respond(http::json_response(200, {{"now", core::format_utc(ctx.test_clock->now())}}));
}

}  // namespace

void add_node_routes(http::Router& r, ApiContext& ctx) {
  add(r, ctx, "GET", "/api/v1/health", health);
  add(r, ctx, "GET", "/api/v1/node", node);
  add(r, ctx, "GET", "/api/v1/taxonomy", taxonomy);
  add(r, ctx, "GET", "/api/v1/layers/boundaries", boundaries);
  add(r, ctx, "GET", "/api/v1/openapi.json", openapi);
  add(r, ctx, "GET", "/metrics", metrics_text);
  if (ctx.test_clock) add(r, ctx, "POST", "/api/v1/test/clock", set_clock);
}

}  // namespace liandong::api::internal
