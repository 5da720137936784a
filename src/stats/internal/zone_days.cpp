#include "stats/internal/zone_days.h"

#include <date/tz.h>

#include <algorithm>
#include <exception>
#include <string>

namespace liandong::stats::internal {

core::Result<ZoneDays> ZoneDays::make(std::string_view zone, int64_t min_ms, int64_t max_ms) {
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    return core::invalid("'" + std::string(zone.substr(0, 64)) + "' is not an IANA time zone",
                         "zone");
  }
  ZoneDays z;
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  auto t = date::sys_seconds{std::chrono::duration_cast<seconds>(milliseconds{min_ms})};
  const auto end = date::sys_seconds{std::chrono::duration_cast<seconds>(milliseconds{max_ms})};
  // A zone changes its offset at most a few times a year; the bound only guards against a
  // malformed tz database looping.
  for (int guard = 0; guard < 100'000; ++guard) {
    date::sys_info info = tz->get_info(t);
    z.begins_ms_.push_back(z.begins_ms_.empty()
                               ? min_ms
                               : std::chrono::duration_cast<milliseconds>(
                                     info.begin.time_since_epoch())
                                     .count());
    z.offsets_ms_.push_back(std::chrono::duration_cast<milliseconds>(info.offset).count());
    if (info.end > end || info.end <= t) break;
    t = info.end;
  }
  return z;
}

ZoneDays ZoneDays::fixed(int64_t offset_ms) {
  ZoneDays z;
  z.begins_ms_.push_back(INT64_MIN);
  z.offsets_ms_.push_back(offset_ms);
  return z;
}

size_t ZoneDays::interval(int64_t utc_ms) const {
  auto it = std::upper_bound(begins_ms_.begin(), begins_ms_.end(), utc_ms);
  return it == begins_ms_.begin() ? 0 : static_cast<size_t>(it - begins_ms_.begin()) - 1;
}

CivilDate civil_from_days(int32_t days) {
  // Howard Hinnant's civil_from_days (public domain algorithm, as in date.h).
  int64_t z = int64_t{days} + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<uint32_t>(z - era * 146097);
  const uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const uint32_t mp = (5 * doy + 2) / 153;
  const uint32_t d = doy - (153 * mp + 2) / 5 + 1;
  const uint32_t m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int32_t>(y + (m <= 2)), m, d};
}

}  // namespace liandong::stats::internal
