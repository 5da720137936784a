// Masking of personal data for viewers without `personal.read` (issue "Access and audit").
// Pure functions on UTF-8 text.
#pragma once

#include <string>
#include <string_view>

namespace liandong::access {

// Phone numbers keep the first 3 and last 4 digits of 11 or more ("138****5678"); shorter ones
// keep only the last 2 ("****12"); non-digit characters (+, -, spaces) count as written.
std::string mask_phone(std::string_view number);
// Names keep the first character ("王**", "J***"); one-character names become "*".
std::string mask_name(std::string_view name);

}  // namespace liandong::access
