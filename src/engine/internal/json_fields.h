// Small readers and writers of record fields shared by the record codecs (records.cpp,
// access_records.cpp). Readers throw std::invalid_argument / nlohmann exceptions, which guarded()
// turns into a Status at the codec's boundary.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace liandong::engine::internal {

inline nlohmann::json opt_time(const std::optional<core::Timestamp>& t) {
  return t ? nlohmann::json(core::format_utc(*t)) : nlohmann::json(nullptr);
}

inline core::Timestamp time_at(const nlohmann::json& j, const char* key) {
  auto r = core::parse_rfc3339(j.at(key).get<std::string>(), key);
  if (!r) throw std::invalid_argument(r.status().to_string());
  return *r;
}

inline std::optional<core::Timestamp> opt_time_at(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return time_at(j, key);
}

// The object member `key` of j, or an empty object when absent — by reference, where
// j.value(key, json::object()) would copy the whole member (the apply path reads records so).
inline const nlohmann::json& member_or_empty(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  if (!j.is_object()) return kEmpty;
  auto it = j.find(key);
  return it != j.end() ? *it : kEmpty;
}

inline std::string str_or(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A string member that may be absent or null (then ""); any other type throws.
inline std::string str_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  return it->get<std::string>();
}

// An array of strings that may be absent or null (then empty); any other type throws.
inline std::vector<std::string> strings_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  return it->get<std::vector<std::string>>();
}

// Converts nlohmann exceptions (and our own invalid_argument) to a Status at this boundary.
template <typename F>
auto guarded(const char* what, F&& f) -> core::Result<decltype(f())> {
  try {
    return f();
  } catch (const std::exception& e) {
    return core::invalid(std::string("malformed ") + what + " record: " + e.what(), what);
  }
}

}  // namespace liandong::engine::internal
