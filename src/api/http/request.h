// Request: one HTTP request as route handlers see it. Plain value type, no transport types.
//
// A handler receives `Request&` valid for the duration of the call only; a handler that answers
// asynchronously copies what it needs (or moves the Request out) before returning.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace liandong::access {
class Principal;
}

namespace liandong::api::http {

using ParamMap = std::map<std::string, std::string, std::less<>>;

struct Request {
  std::string method;         // "GET", "POST", ...
  std::string path;           // percent-decoded path, without the query
  std::string route;          // matched route pattern ("/api/v1/incidents/{id}"), for metrics
  ParamMap path_params;       // {id} → decoded segment
  ParamMap query;             // URL-decoded ('+' is a space); repeated keys: the last wins
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::string body;
  std::string remote;         // "127.0.0.1:53422"
  // Who is asking, set by the router's guard before the handler runs (null: no guard).
  std::shared_ptr<const access::Principal> principal;
  std::string session_id;     // the sign-in session, when the caller used one

  // Case-insensitive header lookup; the first occurrence.
  std::optional<std::string> header(std::string_view name) const;
  // Path parameter or query parameter by name; nullopt when absent.
  std::optional<std::string_view> param(std::string_view name) const;
  std::optional<std::string_view> query_param(std::string_view name) const;
};

// Percent-decodes `in`; '+' becomes a space when `plus_is_space`. nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view in, bool plus_is_space);

// Parses "a=1&b=x%20y" into `out` (last wins). False on a bad escape.
bool parse_query(std::string_view query, ParamMap& out);

// True when a Content-Type value is application/json (parameters such as charset allowed).
bool is_json_content_type(std::string_view content_type);

}  // namespace liandong::api::http
