#include "api/body.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>

#include "engine/records.h"

namespace liandong::api {

using nlohmann::json;

namespace {
std::atomic<size_t> g_max_json_depth{kDefaultMaxJsonDepth};
}  // namespace

void set_max_json_depth(size_t depth) { g_max_json_depth.store(std::max<size_t>(1, depth)); }
size_t max_json_depth() { return g_max_json_depth.load(std::memory_order_relaxed); }

size_t json_depth(std::string_view text, size_t stop_after) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest >= stop_after) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

http::Response invalid_field(std::string_view field, std::string_view message) {
  return http::error_response(400, "invalid_field", message, field);
}

Parsed<json> json_object_body(const http::Request& req, bool allow_empty) {
  if (req.body.empty()) {
    if (allow_empty) return json::object();
    return http::error_response(400, "malformed_json", "the request needs a JSON object body");
  }
  // nlohmann's parser itself would accept any depth; refusing first bounds the work and the
  // recursion of everything that walks the tree afterwards.
  size_t limit = max_json_depth();
  if (json_depth(req.body, limit + 1) > limit)
    return http::error_response(400, "malformed_json",
                                "the JSON nests deeper than the limit of " + std::to_string(limit) + " levels");
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded())
    return http::error_response(400, "malformed_json", "the body is not valid JSON (or not UTF-8)");
  if (!j.is_object()) return http::error_response(400, "malformed_json", "the body must be a JSON object");
  return j;
}

http::Response time_error(std::string_view text, const core::Status& status) {
  // A well-formed local time with nothing after it: say exactly that.
  size_t end = 19;
  if (text.size() > end && text[end] == '.')
    for (++end; end < text.size() && text[end] >= '0' && text[end] <= '9';) ++end;
  bool no_offset = text.size() >= 19 && end == text.size() && text[10] == 'T';
  if (no_offset)
    return http::error_response(400, "time_without_offset",
                                "time '" + std::string(text) + "' has no offset; add Z or +08:00", status.field());
  return http::error_response(400, "invalid_field", status.message(), status.field());
}

std::optional<std::string> Fields::str(const char* key, bool required, size_t max_len) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    if (required) fail(invalid_field(path(key), std::string(key) + " is required"));
    return std::nullopt;
  }
  if (!it->is_string()) {
    fail(invalid_field(path(key), std::string(key) + " must be a string"));
    return std::nullopt;
  }
  auto s = it->get<std::string>();
  if (s.size() > max_len) {
    fail(invalid_field(path(key), std::string(key) + " is longer than " + std::to_string(max_len) + " bytes"));
    return std::nullopt;
  }
  if (required && s.empty()) {
    fail(invalid_field(path(key), std::string(key) + " must not be empty"));
    return std::nullopt;
  }
  return s;
}

std::optional<core::Timestamp> Fields::time(const char* key, bool required) {
  auto s = str(key, required, 64);
  if (!s) return std::nullopt;
  auto t = core::parse_rfc3339(*s, path(key));
  if (!t) {
    fail(time_error(*s, t.status()));
    return std::nullopt;
  }
  return *t;
}

std::optional<core::LonLat> Fields::lonlat(const char* key, bool required) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    if (required) fail(invalid_field(path(key), std::string(key) + " is required"));
    return std::nullopt;
  }
  auto p = engine::lonlat_from_json(*it, path(key));
  if (!p) {
    fail(invalid_field(p.status().field(), p.status().message()));
    return std::nullopt;
  }
  return *p;
}

std::optional<int64_t> Fields::integer(const char* key, int64_t min, int64_t max, bool required) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    if (required) fail(invalid_field(path(key), std::string(key) + " is required"));
    return std::nullopt;
  }
  if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<uint64_t>() > uint64_t(INT64_MAX)) ||
      it->get<int64_t>() < min || it->get<int64_t>() > max) {
    fail(invalid_field(path(key), std::string(key) + " must be a whole number from " + std::to_string(min) + " to " +
                                      std::to_string(max)));
    return std::nullopt;
  }
  return it->get<int64_t>();
}

std::optional<double> Fields::number(const char* key, double min, double max, bool required) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    if (required) fail(invalid_field(path(key), std::string(key) + " is required"));
    return std::nullopt;
  }
  if (!it->is_number() || !(it->get<double>() >= min && it->get<double>() <= max)) {
    fail(invalid_field(path(key), std::string(key) + " must be a number from " + json(min).dump() + " to " +
                                      json(max).dump()));
    return std::nullopt;
  }
  return it->get<double>();
}

std::optional<bool> Fields::boolean(const char* key, bool required) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    if (required) fail(invalid_field(path(key), std::string(key) + " is required"));
    return std::nullopt;
  }
  if (!it->is_boolean()) {
    fail(invalid_field(path(key), std::string(key) + " must be true or false"));
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<std::vector<std::string>> Fields::strings(const char* key, size_t max_items, size_t max_len,
                                                        bool required) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    if (required) fail(invalid_field(path(key), std::string(key) + " is required"));
    return std::nullopt;
  }
  if (!it->is_array() || it->size() > max_items) {
    fail(invalid_field(path(key), std::string(key) + " must be an array of at most " + std::to_string(max_items) +
                                      " strings"));
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    std::string at = path(key) + "[" + std::to_string(i) + "]";
    if (!v.is_string() || v.get_ref<const std::string&>().size() > max_len) {
      fail(invalid_field(at, "must be a string of at most " + std::to_string(max_len) + " bytes"));
      return std::nullopt;
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

void Fields::only(std::initializer_list<const char*> allowed) {
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    bool known = false;
    for (const char* a : allowed) known = known || it.key() == a;
    if (!known) {
      fail(invalid_field(path(it.key().c_str()), "unknown field '" + it.key() + "'"));
      return;
    }
  }
}

}  // namespace liandong::api
