// Reading JSON request bodies and query parameters with errors that name the field.
//
// Every failure is an http::Response ready to send (docs/API.md "Errors"): malformed_json,
// invalid_field, time_without_offset, invalid_query. Nothing here throws.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/http/request.h"
#include "api/http/response.h"
#include "core/codes.h"
#include "core/geo.h"
#include "core/time.h"

namespace liandong::api {

// A value or the error response to send.
template <typename T>
using Parsed = std::variant<T, http::Response>;

template <typename T>
bool failed(const Parsed<T>& p) { return std::holds_alternative<http::Response>(p); }
template <typename T>
http::Response& error_of(Parsed<T>& p) { return std::get<http::Response>(p); }
template <typename T>
T& value_of(Parsed<T>& p) { return std::get<T>(p); }

// The body as a JSON object (an empty body is an error unless `allow_empty`). A document nested
// deeper than max_json_depth() is refused (400 malformed_json, naming the limit) before it is
// parsed. The size is bounded by the server's body limit.
Parsed<nlohmann::json> json_object_body(const http::Request& req, bool allow_empty = false);

// Nesting limit for request JSON: arrays and objects count one level each ({"a":[1]} is 2).
// Process-wide, set once at start-up from the configuration; thread-safe. Values below 1 are
// taken as 1.
inline constexpr size_t kDefaultMaxJsonDepth = 32;
void set_max_json_depth(size_t depth);
size_t max_json_depth();

// The deepest nesting of arrays and objects in `text`, counting no further than `stop_after`
// levels (enough to know a document is too deep). Text in strings is skipped. Does not validate.
size_t json_depth(std::string_view text, size_t stop_after);

http::Response invalid_field(std::string_view field, std::string_view message);

// Reads optional/required members of a JSON object. On a type mismatch, answer is set.
class Fields {
 public:
  explicit Fields(const nlohmann::json& obj, std::string prefix = {}) : obj_(obj), prefix_(std::move(prefix)) {}

  std::optional<std::string> str(const char* key, bool required = false, size_t max_len = 4096);
  std::optional<core::Timestamp> time(const char* key, bool required = false);
  std::optional<core::LonLat> lonlat(const char* key, bool required = false);
  // An integer in [min, max].
  std::optional<int64_t> integer(const char* key, int64_t min, int64_t max, bool required = false);
  // A finite number in [min, max].
  std::optional<double> number(const char* key, double min, double max, bool required = false);
  std::optional<bool> boolean(const char* key, bool required = false);
  // An array of at most `max_items` strings, each at most `max_len` bytes.
  std::optional<std::vector<std::string>> strings(const char* key, size_t max_items, size_t max_len = 256,
                                                  bool required = false);
  // Rejects members not in `allowed` (a typo should not be silently ignored).
  void only(std::initializer_list<const char*> allowed);

  bool ok() const { return !error_; }
  http::Response take_error() { return std::move(*error_); }
  void fail(http::Response r) { if (!error_) error_ = std::move(r); }
  std::string path(const char* key) const { return prefix_.empty() ? key : prefix_ + "." + key; }

 private:
  const nlohmann::json& obj_;
  std::string prefix_;
  std::optional<http::Response> error_;
};

// The error response for a failed core::parse_rfc3339 of `text` (time_without_offset when that
// is what is wrong).
http::Response time_error(std::string_view text, const core::Status& status);

}  // namespace liandong::api
