// The route table: every /api/v1 route and every stream topic with the permission it needs, in
// one place (issue "Access and audit"). The router's routes are registered from it (a route not in
// the table cannot be added), the OpenAPI document must agree with it (api_test), and the
// authorization matrix test is generated from it.
//
// Permissions are access permission names (src/access/default_roles.yaml) or the pseudo
// permissions "public" (no sign-in) and "signed_in" (any person or key). `scope` names the kind of
// record the route's {id} is, whose jurisdiction the permission must cover.
#pragma once

#include <string_view>
#include <vector>

#include "api/http/router.h"

namespace liandong::api {

struct RouteSpec {
  std::string_view method;
  std::string_view pattern;
  std::string_view permission;
  std::string_view scope;  // "", "incident", "alarm", "unit", "person", "key", "session"
  std::string_view summary;
};

const std::vector<RouteSpec>& route_table();
// The spec of (method, pattern), or nullptr.
const RouteSpec* find_route(std::string_view method, std::string_view pattern);
// RouteInfo for Router::add; throws std::logic_error when the route is not in the table (a
// set-up bug: every route must declare its permission here).
http::RouteInfo route_info(std::string_view method, std::string_view pattern);

struct TopicSpec {
  std::string_view topic;
  std::string_view permission;
};
// The stream topics of DESIGN.md with the permission each needs (events of a topic are further
// limited to the jurisdictions the permission covers).
const std::vector<TopicSpec>& topic_table();
std::string_view topic_permission(std::string_view topic);  // "" for an unknown topic

// The permission that lets a caller see a record of `scope` at all (incident.read for incidents
// and alarms, people.manage for people, keys and sessions).
std::string_view read_permission(std::string_view scope);

}  // namespace liandong::api
