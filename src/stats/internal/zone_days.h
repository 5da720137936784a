// Local day numbers (days since 1970-01-01 in an IANA zone) of UTC instants, from the zone's
// offset intervals over a span of time: one binary search per instant instead of a tz lookup.
//
// A value, immutable after make(); thread-safe to read.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace liandong::stats::internal {

class ZoneDays {
 public:
  // The zone's offsets over [min_ms, max_ms] (instants outside take the nearest interval's
  // offset). kInvalidArgument naming "zone" when the zone is unknown.
  static core::Result<ZoneDays> make(std::string_view zone, int64_t min_ms, int64_t max_ms);
  // One offset for all time (the fallback when the tz database is missing a zone).
  static ZoneDays fixed(int64_t offset_ms);

  int32_t day(int64_t utc_ms) const {
    size_t i = interval(utc_ms);
    int64_t local = utc_ms + offsets_ms_[i];
    return static_cast<int32_t>(local >= 0 ? local / kDayMs : (local - kDayMs + 1) / kDayMs);
  }

  static constexpr int64_t kDayMs = 86'400'000;

 private:
  size_t interval(int64_t utc_ms) const;
  std::vector<int64_t> begins_ms_;   // ascending; begins_ms_[0] is the span's start
  std::vector<int64_t> offsets_ms_;  // UTC offset within [begins_ms_[i], begins_ms_[i+1])
};

// Civil date of a day number (proleptic Gregorian), e.g. 20423 → 2025-12-01.
struct CivilDate {
  int32_t year;
  uint32_t month, day;
};
CivilDate civil_from_days(int32_t days);

}  // namespace liandong::stats::internal
