// Router: maps (method, path pattern) to handlers, and serves a directory of static files.
//
// Patterns are literal segments and `{name}` parameters: "/api/v1/incidents/{id}/status". A path
// that matches no pattern is 404 `not_found` (or a static file, see serve_static); a path that
// matches a pattern under another method is 405 `method_not_allowed` with an Allow header.
//
// Thread-safety: add() and serve_static() are for set-up, before the Server starts; afterwards the
// Router is read-only and dispatch() may run concurrently on any number of threads.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/request.h"
#include "api/http/responder.h"

namespace liandong::api::http {

struct RouteInfo {
  std::string summary;
  std::string permission;  // what access control requires; empty = not yet decided
  bool is_public = false;  // explicitly public (DESIGN.md "Routes")
  // The kind of record the route's {id} names ("incident", "alarm", "person", "key", "session"),
  // whose jurisdiction the permission is checked against; empty when none.
  std::string scope;
  // POST/PUT/PATCH with a non-empty body must carry Content-Type application/json, else 415
  // `unsupported_media_type`. Unset: on for patterns under /api/, off elsewhere.
  std::optional<bool> require_json;
};

struct RouteEntry {
  std::string method;
  std::string pattern;
  RouteInfo info;
};

class Router {
 public:
  using Handler = std::function<void(Request&, Responder)>;

  // Index dispatch() returns when no route matched (404, 405 or a static file).
  static constexpr size_t kUnmatched = static_cast<size_t>(-1);
  static constexpr size_t kStatic = static_cast<size_t>(-2);

  Router() = default;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers a route. Throws std::invalid_argument on a malformed pattern (not starting with '/',
  // empty or unclosed `{}`) or a duplicate (method, pattern): set-up errors.
  void add(std::string method, std::string pattern, Handler handler, RouteInfo info = {});

  // Serves files under `directory` for GET paths starting with `url_prefix` that match no route
  // and are not under /api/. MIME type by extension; path traversal is refused with 404;
  // extension-less paths that name no file fall back to index.html (single-page app);
  // index.html is sent with `Cache-Control: no-cache`, files under assets/ with a year's max-age.
  void serve_static(std::string url_prefix, std::filesystem::path directory);

  // Runs after a route matched and before its handler (and before the content-type check): returns
  // true to go on, or false after answering through `respond` itself (e.g. 401/403). Set before
  // the Server starts.
  using Guard = std::function<bool(Request&, const RouteInfo&, Responder& respond)>;
  void set_guard(Guard guard) { guard_ = std::move(guard); }

  // Every (method, pattern) registered, in registration order, for the OpenAPI completeness test.
  std::vector<RouteEntry> routes() const;

  // Matches req.method and req.path, sets req.route and req.path_params, applies the content-type
  // check, and calls the handler (or answers the error itself). Returns the matched route's index
  // into routes(), kStatic or kUnmatched. Never throws: a handler that throws is answered 500.
  size_t dispatch(Request& req, Responder respond) const;

 private:
  struct Segment {
    std::string text;  // literal, or the parameter name
    bool param = false;
  };
  struct Route {
    RouteEntry entry;
    std::vector<Segment> segments;
    Handler handler;
    bool require_json = false;
  };

  Response static_file(const Request& req) const;

  std::vector<Route> routes_;
  Guard guard_;
  std::string static_prefix_;
  std::filesystem::path static_root_;  // empty: no static mount
};

// The MIME type for a file name by its extension ("application/octet-stream" when unknown).
std::string_view mime_type(std::string_view filename);

}  // namespace liandong::api::http
