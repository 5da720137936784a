#include <algorithm>
#include <charconv>
#include <memory>

#include "access/mask.h"
#include "api/routes_common.h"

namespace liandong::api {

namespace internal {

engine::Actor actor(const http::Request& req) {
  return engine::Actor(req.principal ? req.principal->id() : std::string("anonymous"), req.remote);
}

const access::Principal& who(const http::Request& req) {
  static const access::Principal kNobody;
  return req.principal ? *req.principal : kNobody;
}

bool may(const http::Request& req, std::string_view permission, std::string_view jurisdiction,
         std::string_view agency_id) {
  return who(req).may(permission, {jurisdiction, agency_id});
}

http::Response bad_query(std::string_view name, std::string_view message) {
  return http::error_response(400, "invalid_query", message, name);
}

bool parse_whole(std::string_view text, uint64_t& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

Parsed<size_t> clamped_limit(const http::Request& req, size_t fallback, size_t max) {
  auto l = req.query_param("limit");
  if (!l) return fallback;
  uint64_t n = 0;
  if (!parse_whole(*l, n)) return bad_query("limit", "limit is a number, 1 to " + std::to_string(max));
  return static_cast<size_t>(std::clamp<uint64_t>(n, 1, max));
}

std::optional<http::Response> unknown_params(const http::Request& req,
                                             std::initializer_list<std::string_view> known) {
  for (const auto& [k, v] : req.query) {
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      return bad_query(k, "unknown query parameter '" + k + "'");
    }
  }
  return std::nullopt;
}

http::Response forbidden(std::string_view permission, std::string_view jurisdiction) {
  return http::error_response(403, "forbidden",
                              "this needs permission '" + std::string(permission) + "' in " + std::string(jurisdiction));
}

nlohmann::json alarm_json(const engine::Alarm& a, bool reveal) {
  nlohmann::json j = engine::to_json(a);
  if (a.caller) {
    if (reveal)
      j["caller"]["masked"] = false;
    else
      j["caller"] = {{"name", access::mask_name(a.caller->name)},
                     {"number", access::mask_phone(a.caller->number)},
                     {"masked", true}};
  }
  return j;
}

void submit(ApiContext& ctx, const http::Request& req, engine::Command command, http::Responder respond) {
  // engine::Engine::Done must be copyable; the Responder is move-only.
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  ctx.engine->submit(std::move(command), actor(req), [shared](core::Result<engine::Outcome> r) {
    if (!r.is_ok()) return (*shared)(http::status_response(r.status()));
    (*shared)(http::json_response(r->created ? 201 : 200, r->body));
  });
}

}  // namespace internal

void add_routes(http::Router& router, ApiContext& ctx) {
  if (!ctx.auth) throw std::logic_error("add_routes needs ctx.auth: every route is behind access control");
  router.set_guard([&ctx](http::Request& req, const http::RouteInfo& info, http::Responder& respond) {
    return ctx.auth->guard(req, info, respond);
  });
  internal::add_access_routes(router, ctx);
  internal::add_audit_routes(router, ctx);
  internal::add_alarm_routes(router, ctx);
  internal::add_incident_routes(router, ctx);
  internal::add_node_routes(router, ctx);
  internal::add_road_routes(router, ctx);
  internal::add_unit_routes(router, ctx);
  internal::add_dispatch_routes(router, ctx);
  internal::add_plan_routes(router, ctx);
  internal::add_monitoring_routes(router, ctx);
  internal::add_alert_routes(router, ctx);
  internal::add_report_routes(router, ctx);
}

}  // namespace liandong::api
