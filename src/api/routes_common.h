// Shared pieces of the route handlers (private to api/).
#pragma once

#include <memory>

#include "api/api.h"
#include "api/body.h"
#include "api/http/responder.h"

namespace liandong::api::internal {

// Who is acting. "anonymous" until access control (issue "Access and audit") lands.
inline std::string actor(const http::Request&) { return "anonymous"; }

// Submits `command` and answers 201/200 with the outcome's body, or the error.
void submit(ApiContext& ctx, const http::Request& req, engine::Command command, http::Responder respond);

void add_alarm_routes(http::Router& r, ApiContext& ctx);
void add_incident_routes(http::Router& r, ApiContext& ctx);
void add_node_routes(http::Router& r, ApiContext& ctx);

}  // namespace liandong::api::internal
