#include <memory>

#include "api/routes_common.h"

namespace liandong::api {

namespace internal {

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
  internal::add_alarm_routes(router, ctx);
  internal::add_incident_routes(router, ctx);
  internal::add_node_routes(router, ctx);
}

}  // namespace liandong::api
