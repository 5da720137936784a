#include "reports/internal/duration.h"

#include <cstdio>

namespace liandong::reports::internal {

std::optional<core::Millis> parse_duration(std::string_view s) {
  constexpr std::string_view kUnits = "dhm";
  constexpr int64_t kMinutes[] = {24 * 60, 60, 1};
  int64_t total = 0;
  size_t next_unit = 0, i = 0;
  if (s.empty()) return std::nullopt;
  while (i < s.size()) {
    int64_t n = 0;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 6) n = n * 10 + (s[i++] - '0');
    if (i == start || i >= s.size()) return std::nullopt;
    size_t unit = kUnits.find(s[i]);
    if (unit == std::string_view::npos || unit < next_unit) return std::nullopt;
    total += n * kMinutes[unit];
    next_unit = unit + 1;
    ++i;
  }
  if (total <= 0 || total > 366 * 24 * 60) return std::nullopt;
  return std::chrono::duration_cast<core::Millis>(std::chrono::minutes{total});
}

std::string format_duration(core::Millis d) {
  int64_t m = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  std::string out;
  if (m >= 24 * 60) out += std::to_string(m / (24 * 60)) + "d";
  m %= 24 * 60;
  if (m >= 60) out += std::to_string(m / 60) + "h";
  if (m % 60 || out.empty()) out += std::to_string(m % 60) + "m";
  return out;
}

std::optional<int> parse_time_of_day(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string format_time_of_day(int minute) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60 % 100, minute % 60);
  return buf;
}

}  // namespace liandong::reports::internal
