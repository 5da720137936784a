// Time: instants are UTC milliseconds; inputs must carry an offset; display uses IANA zones.
//
// Clock is the one source of "now" for the engine and everything that stamps or schedules, so
// tests can use FakeClock. SystemClock and FakeClock are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace liandong::core {

using Millis = std::chrono::milliseconds;
using Timestamp = std::chrono::sys_time<Millis>;  // UTC, millisecond resolution

// Parses RFC 3339 "2026-11-29T13:05:00+08:00" (fraction optional, "Z" or ±hh:mm required).
// A time without offset is refused (kInvalidArgument, naming `field`), and so is one whose UTC
// instant falls outside the years 0000–9999 (e.g. "0000-01-01T00:00:00+08:00"), which
// format_utc could not write back as RFC 3339.
Result<Timestamp> parse_rfc3339(std::string_view text, std::string_view field = "time");

// Whether t is in the years 0000–9999 in UTC: what format_utc writes as RFC 3339 and
// parse_rfc3339 reads back to the same instant.
bool in_rfc3339_range(Timestamp t);

// "2026-11-29T05:05:00.000Z" — what the journal and the API emit (for a time outside
// in_rfc3339_range, the date library's spelling, which parse_rfc3339 does not read).
std::string format_utc(Timestamp t);
// Appends format_utc(t) to out, without a string of its own.
void append_utc(std::string& out, Timestamp t);

// "2026-11-29T13:05:00+08:00" in the named IANA zone (e.g. "Asia/Shanghai").
// On an unknown zone returns kInvalidArgument.
Result<std::string> format_in_zone(Timestamp t, std::string_view zone);

// True when `zone` names an IANA time zone known to the system tz database.
bool is_known_zone(std::string_view zone);

int64_t to_unix_millis(Timestamp t);
Timestamp from_unix_millis(int64_t ms);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

// A clock that moves only when told. For tests and for a node started with --test-clock.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : ms_(to_unix_millis(start)) {}
  Timestamp now() const override { return from_unix_millis(ms_.load()); }
  void set(Timestamp t) { ms_.store(to_unix_millis(t)); }
  void advance(Millis d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace liandong::core
