// The line protocol's number and time parsers: no allocation, no locale; a failure returns a
// static reason. Exposed for tests (fast_parse_test compares parse_time with core::parse_rfc3339).
#pragma once

#include <cstdint>
#include <string_view>

namespace liandong::readings::internal {

// RFC 3339 with an offset, or Unix epoch milliseconds as digits only, into Unix ms within
// [kMinTimeMs, kEndTimeMs). On failure returns false and sets `why`.
bool parse_time(std::string_view text, int64_t& ms, const char*& why);

// A finite decimal number ([+-]digits[.digits][e[+-]digits]; ".5" and "5." too) of magnitude at
// most kMaxAbsValue. No NaN, infinity, hex or empty text. On failure returns false and sets `why`.
bool parse_value(std::string_view text, double& v, const char*& why);

}  // namespace liandong::readings::internal
