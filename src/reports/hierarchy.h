// The reporting hierarchy: the unit where something happened reports to its county, the county to
// the city, the city to the province, the province to the nation (DESIGN.md, "Jurisdictions":
// GB/T 2260 six-digit codes). GB/T 2260 has no national code; we use "000000".
//
// Plain functions over values: thread-safe, no state.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace liandong::reports {

enum class Tier { kUnit, kCounty, kCity, kProvince, kNational };  // unit = the enterprise/unit where it happened

// "unit", "county", "city", "province", "national".
std::string_view to_string(Tier);
std::optional<Tier> parse_tier(std::string_view);

inline constexpr std::string_view kNationalCode = "000000";  // our convention; GB/T 2260 has none

// Tier of a six-digit code: "000000" national, else core::JurisdictionCode::level() (county, city
// or province; never kUnit). Error kInvalidArgument (field "jurisdiction") when malformed.
core::Result<Tier> tier_of(std::string_view code);

// The code of `code`'s ancestor at `tier` (itself when it is at that tier; kNationalCode for
// national; for kUnit the code itself). Error kInvalidArgument when `code` is above `tier`
// (asking a city's county) or malformed.
core::Result<std::string> code_at(std::string_view code, Tier tier);

// The next tier up (unit→county→city→province→national); nullopt above national.
std::optional<Tier> next_up(Tier);

}  // namespace liandong::reports
