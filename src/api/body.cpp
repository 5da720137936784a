#include "api/body.h"

#include "engine/records.h"

namespace liandong::api {

using nlohmann::json;

http::Response invalid_field(std::string_view field, std::string_view message) {
  return http::error_response(400, "invalid_field", message, field);
}

Parsed<json> json_object_body(const http::Request& req, bool allow_empty) {
  if (req.body.empty()) {
    if (allow_empty) return json::object();
    return http::error_response(400, "malformed_json", "the request needs a JSON object body");
  }
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
