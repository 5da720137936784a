#include "readings/reading.h"

#include <array>
#include <cmath>

#include "readings/internal/quote.h"

namespace liandong::readings {
namespace {

constexpr std::array<std::string_view, kQualityCount> kQualityNames = {"ok", "suspect", "invalid",
                                                                       "estimated", "maintenance"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view quality_name(Quality q) {
  auto i = static_cast<size_t>(q);
  return i < kQualityNames.size() ? kQualityNames[i] : std::string_view("unknown");
}

std::optional<Quality> quality_from_name(std::string_view text) {
  for (size_t i = 0; i < kQualityNames.size(); ++i)
    if (kQualityNames[i] == text) return static_cast<Quality>(i);
  return std::nullopt;
}

std::optional<Quality> quality_from_number(int64_t n) {
  if (n < 0 || n >= kQualityCount) return std::nullopt;
  return static_cast<Quality>(n);
}

core::Result<Quality> parse_quality(std::string_view text, std::string_view field) {
  if (auto q = quality_from_name(text)) return *q;
  return core::invalid("quality " + internal::quote(text) +
                           " is not one of ok, suspect, invalid, estimated, maintenance",
                       std::string(field));
}

bool is_station_id(std::string_view s) {
  if (s.size() < 10 || s.size() > kMaxStationBytes) return false;  // 441300-A-1 is the shortest
  for (size_t i = 0; i < 6; ++i)
    if (!is_digit(s[i])) return false;
  if (s[6] != '-') return false;
  size_t i = 7;
  while (i < s.size() && s[i] >= 'A' && s[i] <= 'Z') ++i;
  size_t kind = i - 7;
  if (kind < 1 || kind > 8 || i >= s.size() || s[i] != '-') return false;
  std::string_view seq = s.substr(i + 1);
  if (seq.empty() || seq.size() > 18 || seq[0] == '0') return false;
  for (char c : seq)
    if (!is_digit(c)) return false;
  return true;
}

bool is_parameter_code(std::string_view s) {
  if (s.empty() || s.size() > kMaxParameterBytes || s[0] < 'a' || s[0] > 'z') return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '_')) return false;
  return true;
}

bool is_reading_value(double v) { return std::isfinite(v) && std::fabs(v) <= kMaxAbsValue; }

core::Status check_reading(const Reading& r) {
  if (!is_station_id(r.station))
    return core::invalid(
        "station " + internal::quote(r.station) + " is not a station id of the form 441300-MON-12",
        "station");
  if (!is_parameter_code(r.parameter))
    return core::invalid("parameter " + internal::quote(r.parameter, 70) +
                             " is not a code of the form [a-z][a-z0-9_]{0,63}",
                         "parameter");
  if (!is_reading_time(core::to_unix_millis(r.time)))
    return core::invalid("time is outside 1970-01-01 to 9999-12-31", "time");
  if (!is_reading_value(r.value))
    return core::invalid("value must be a finite number of magnitude at most 1e15", "value");
  if (!quality_from_number(static_cast<int64_t>(r.quality)))
    return core::invalid(
        "quality " + std::to_string(static_cast<int>(r.quality)) + " is not a known flag",
        "quality");
  return core::Status::ok();
}

}  // namespace liandong::readings
