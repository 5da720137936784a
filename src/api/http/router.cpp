#include "api/http/router.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/log.h"

namespace liandong::api::http {
namespace {

constexpr size_t kMaxSegments = 32;

// Splits "/a/b/c" into {"a","b","c"}; false when there are more than kMaxSegments.
bool split_path(std::string_view path, std::array<std::string_view, kMaxSegments>& out, size_t& n) {
  n = 0;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    if (n == kMaxSegments) return false;
    auto slash = path.find('/');
    out[n++] = path.substr(0, slash);
    if (slash == std::string_view::npos) return true;
    path.remove_prefix(slash + 1);
  }
}

bool under_api(std::string_view path) { return path == "/api" || path.starts_with("/api/"); }

bool is_body_method(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH"; }

}  // namespace

std::string_view mime_type(std::string_view filename) {
  auto dot = filename.rfind('.');
  auto slash = filename.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return "application/octet-stream";
  auto ext = filename.substr(dot + 1);
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"geojson", "application/geo+json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"woff2", "font/woff2"},
      {"txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [e, type] : kTypes)
    if (e == ext) return type;
  return "application/octet-stream";
}

void Router::add(std::string method, std::string pattern, Handler handler, RouteInfo info) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + pattern);
  std::array<std::string_view, kMaxSegments> parts;
  size_t n = 0;
  if (!split_path(pattern, parts, n)) throw std::invalid_argument("route pattern too deep: " + pattern);
  Route r;
  for (size_t i = 0; i < n; ++i) {
    auto s = parts[i];
    if (s.starts_with('{')) {
      if (s.size() < 3 || !s.ends_with('}'))
        throw std::invalid_argument("bad parameter in route pattern: " + pattern);
      r.segments.push_back({std::string(s.substr(1, s.size() - 2)), true});
    } else {
      if (s.find_first_of("{}") != std::string_view::npos)
        throw std::invalid_argument("bad segment in route pattern: " + pattern);
      r.segments.push_back({std::string(s), false});
    }
  }
  for (const auto& existing : routes_)
    if (existing.entry.method == method && existing.entry.pattern == pattern)
      throw std::invalid_argument("route registered twice: " + method + " " + pattern);
  r.require_json = info.require_json.value_or(under_api(pattern));
  r.entry = {std::move(method), std::move(pattern), std::move(info)};
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

void Router::serve_static(std::string url_prefix, std::filesystem::path directory) {
  if (url_prefix.empty() || url_prefix.back() != '/') url_prefix.push_back('/');
  static_prefix_ = std::move(url_prefix);
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(directory, ec);
  static_root_ = ec ? directory : canonical;
}

std::vector<RouteEntry> Router::routes() const {
  std::vector<RouteEntry> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.push_back(r.entry);
  return out;
}

size_t Router::dispatch(Request& req, Responder respond) const {
  std::array<std::string_view, kMaxSegments> parts;
  size_t n = 0;
  bool fits = split_path(req.path, parts, n);
  std::string allow;
  for (size_t ri = 0; fits && ri < routes_.size(); ++ri) {
    const Route& r = routes_[ri];
    if (r.segments.size() != n) continue;
    bool match = true;
    for (size_t i = 0; i < n && match; ++i)
      match = r.segments[i].param ? !parts[i].empty() : r.segments[i].text == parts[i];
    if (!match) continue;
    if (r.entry.method != req.method) {
      if (allow.find(r.entry.method) == std::string::npos) {
        if (!allow.empty()) allow += ", ";
        allow += r.entry.method;
      }
      continue;
    }
    req.route = r.entry.pattern;
    for (size_t i = 0; i < n; ++i)
      if (r.segments[i].param) req.path_params.insert_or_assign(r.segments[i].text, std::string(parts[i]));
    if (guard_ && !guard_(req, r.entry.info, respond)) return ri;
    if (r.require_json && is_body_method(req.method) && !req.body.empty()) {
      auto ct = req.header("Content-Type");
      if (!ct || !is_json_content_type(*ct)) {
        respond(error_response(415, "unsupported_media_type", "the body must be application/json"));
        return ri;
      }
    }
    try {
      r.handler(req, std::move(respond));
    } catch (const std::exception& e) {
      // The Responder was moved into the handler; it answers 500 if the handler dropped it.
      core::log::error("handler threw", {{"route", r.entry.pattern}, {"error", e.what()}});
    }
    return ri;
  }
  if (!allow.empty()) {
    respond(error_response(405, "method_not_allowed", "method " + req.method + " not allowed here")
                .with_header("Allow", allow));
    return kUnmatched;
  }
  if (!static_root_.empty() && req.path.starts_with(static_prefix_) && !under_api(req.path)) {
    if (req.method != "GET") {
      respond(error_response(405, "method_not_allowed", "static files are read-only")
                  .with_header("Allow", "GET"));
      return kStatic;
    }
    respond(static_file(req));
    return kStatic;
  }
  respond(error_response(404, "not_found", "no route for " + req.path));
  return kUnmatched;
}

Response Router::static_file(const Request& req) const {
  auto not_found = [&] { return error_response(404, "not_found", "no file at " + req.path); };
  std::string_view rel = std::string_view(req.path).substr(static_prefix_.size());
  if (rel.find('\0') != std::string_view::npos || rel.find('\\') != std::string_view::npos)
    return not_found();
  std::array<std::string_view, kMaxSegments> parts;
  size_t n = 0;
  if (!split_path(rel, parts, n)) return not_found();
  for (size_t i = 0; i < n; ++i)
    if (parts[i] == ".." || parts[i] == "." || (parts[i].empty() && i + 1 < n)) return not_found();
  std::string file(rel);
  if (file.empty() || file.back() == '/') file += "index.html";
  std::filesystem::path full = static_root_ / file;
  std::error_code ec;
  bool regular = std::filesystem::is_regular_file(full, ec);
  if (!regular) {
    auto last = parts[n - 1];
    if (last.find('.') != std::string_view::npos) return not_found();
    file = "index.html";  // single-page app: the console routes extension-less paths itself
    full = static_root_ / file;
    if (!std::filesystem::is_regular_file(full, ec)) return not_found();
  }
  // A symlink must not lead out of the root.
  auto canonical = std::filesystem::weakly_canonical(full, ec);
  if (ec) return not_found();
  auto root = static_root_.native();
  if (canonical.native().compare(0, root.size(), root) != 0) return not_found();
  std::ifstream in(canonical, std::ios::binary);
  if (!in) return not_found();
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r;
  r.status = 200;
  r.content_type = std::string(mime_type(file));
  r.body = std::move(ss).str();
  bool is_index = file == "index.html" || file.ends_with("/index.html");
  if (!is_index && file.starts_with("assets/"))
    r.with_header("Cache-Control", "public, max-age=31536000, immutable");
  else
    r.with_header("Cache-Control", "no-cache");
  return r;
}

}  // namespace liandong::api::http
