// Shared pieces of the route handlers (private to api/).
#pragma once

#include <initializer_list>
#include <memory>
#include <functional>
#include <optional>
#include <vector>
#include <string_view>

#include "api/api.h"
#include "api/body.h"
#include "api/http/responder.h"
#include "api/route_table.h"
#include "dispatch/intervals.h"

namespace liandong::api::internal {

// Who is acting (set by the guard) and from where.
engine::Actor actor(const http::Request& req);
// The caller; the guard has set it on every routed request.
const access::Principal& who(const http::Request& req);
// Whether the caller holds `permission` over a record of `jurisdiction` (and `agency_id`).
bool may(const http::Request& req, std::string_view permission, std::string_view jurisdiction,
         std::string_view agency_id = {});
// 403 forbidden naming the permission and jurisdiction.
http::Response forbidden(std::string_view permission, std::string_view jurisdiction);

// 400 invalid_query naming the query parameter `name`.
http::Response bad_query(std::string_view name, std::string_view message);
// 400 for the first query parameter not in `known` ("unknown query parameter 'x'"), if any.
// A whole decimal number, all of `text` (no sign, no spaces, no trailing characters), into `out`:
// how query parameters such as limit, cursor and after are read.
bool parse_whole(std::string_view text, uint64_t& out);
// The `limit` query parameter of a list: `fallback` when absent, a whole number clamped to 1..`max`,
// else 400 naming it.
Parsed<size_t> clamped_limit(const http::Request& req, size_t fallback, size_t max);
std::optional<http::Response> unknown_params(const http::Request& req,
                                             std::initializer_list<std::string_view> known);

// Registers (method, pattern) with the permission and scope of the route table.
template <typename Fn>
void add(http::Router& r, ApiContext& ctx, const char* method, const char* pattern, Fn fn) {
  r.add(method, pattern, [&ctx, fn](http::Request& q, http::Responder s) { fn(ctx, q, std::move(s)); },
        route_info(method, pattern));
}

// add() for a route whose body need not be JSON (CSV, YAML, text): the router's content-type check
// is off for it, and the handler reads the body as it may come.
template <typename Fn>
void add_any_body(http::Router& r, ApiContext& ctx, const char* method, const char* pattern, Fn fn) {
  auto info = route_info(method, pattern);
  info.require_json = false;
  r.add(method, pattern, [&ctx, fn](http::Request& q, http::Responder s) { fn(ctx, q, std::move(s)); },
        std::move(info));
}

// An alarm as the API shows it: the caller's name and number masked ({"name":"王**",
// "number":"138****0000","masked":true}) unless `reveal`.
nlohmann::json alarm_json(const engine::Alarm& a, bool reveal = false);

// Submits `command` and answers 201/200 with the outcome's body, or the error.
void submit(ApiContext& ctx, const http::Request& req, engine::Command command, http::Responder respond);

void add_alarm_routes(http::Router& r, ApiContext& ctx);
void add_incident_routes(http::Router& r, ApiContext& ctx);
void add_node_routes(http::Router& r, ApiContext& ctx);
void add_access_routes(http::Router& r, ApiContext& ctx);
void add_audit_routes(http::Router& r, ApiContext& ctx);
void add_road_routes(http::Router& r, ApiContext& ctx);
void add_unit_routes(http::Router& r, ApiContext& ctx);
void add_dispatch_routes(http::Router& r, ApiContext& ctx);
void add_plan_routes(http::Router& r, ApiContext& ctx);
void add_monitoring_routes(http::Router& r, ApiContext& ctx);
void add_alert_routes(http::Router& r, ApiContext& ctx);
void add_report_routes(http::Router& r, ApiContext& ctx);

// The times of an incident's units, for dispatch::intervals (dispatch_routes.cpp).
dispatch::IncidentTimes times_of(const engine::Incident& inc);

// A unit as the API shows it, with its position from the fleet (when there is one) and, for a
// single unit, its status history.
nlohmann::json unit_json(const engine::Unit& u, const fleet::UnitPosition* position, bool with_history);
nlohmann::json position_json(const fleet::UnitPosition& p);
// Position fixes parsed from a JSON array: the well-formed ones with their index in the array, and
// a "rejected" problem for each malformed one.
struct FixBatch {
  std::vector<fleet::Fix> fixes;
  std::vector<size_t> index;
  nlohmann::json problems = nlohmann::json::array();
};
FixBatch parse_fixes(const nlohmann::json& array);
// Hands the batch to the fleet, refusing fixes of units whose jurisdiction `allowed` refuses; the
// answer body of POST /positions (counts and problems), or the fleet's error.
core::Result<nlohmann::json> ingest_fixes(ApiContext& ctx, FixBatch batch,
                                          const std::function<bool(const std::string& jurisdiction)>& allowed);

// Where a unit is, or null without a fleet.
std::optional<fleet::UnitPosition> unit_position(const ApiContext& ctx, const std::string& unit_id);

}  // namespace liandong::api::internal
