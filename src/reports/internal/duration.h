// Durations as people write them in rule files: "30m", "2h", "1h30m", "15d" (days, hours, minutes,
// each at most once, in that order). And "HH:MM" times of day.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace liandong::reports::internal {

// nullopt when malformed, zero, or over 366 days.
std::optional<core::Millis> parse_duration(std::string_view text);
// "2h", "1h30m", "15d", "45m": the inverse of parse_duration.
std::string format_duration(core::Millis d);
// Minutes after midnight of "08:00" (00:00–23:59, two-digit hour and minute); nullopt otherwise.
std::optional<int> parse_time_of_day(std::string_view text);
// "08:00".
std::string format_time_of_day(int minute);

}  // namespace liandong::reports::internal
