#include "core/time.h"

#include <date/date.h>
#include <date/tz.h>

#include <cctype>
#include <cstdio>

namespace liandong::core {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

Result<Timestamp> parse_rfc3339(std::string_view s, std::string_view field) {
  const std::string f(field);
  auto bad = [&](const std::string& why) -> Status {
    return invalid("time '" + std::string(s.substr(0, 64)) + "' is not RFC 3339 with an offset: " + why,
                   f);
  };
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, sec)) {
    return bad("expected YYYY-MM-DDThh:mm:ss");
  }
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    int scale = 100;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (scale > 0) frac_ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad("empty fraction of a second");
  }
  if (pos >= s.size()) return bad("missing offset (Z or +hh:mm); times without offset are refused");
  int offset_min = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return bad("offset must be ±hh:mm");
    }
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad("missing offset (Z or +hh:mm); times without offset are refused");
  }
  if (pos != s.size()) return bad("unexpected text after the offset");
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 60) return bad("field out of range");
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad("no such date");
  auto days = date::sys_days{ymd};
  auto t = std::chrono::time_point_cast<Millis>(days) + std::chrono::hours{h} +
           std::chrono::minutes{mi} + std::chrono::seconds{sec} + Millis{frac_ms} -
           std::chrono::minutes{offset_min};
  if (!in_rfc3339_range(Timestamp{t}))
    return invalid("time '" + std::string(s.substr(0, 64)) + "' falls outside the years 0000-9999 in UTC", f);
  return Timestamp{t};
}

bool in_rfc3339_range(Timestamp t) {
  int y = static_cast<int>(date::year_month_day{std::chrono::floor<date::days>(t)}.year());
  return y >= 0 && y <= 9999;
}

void append_utc(std::string& out, Timestamp t) {
  // Hot path (every event and record): civil-from-days arithmetic instead of an ostream.
  auto days = std::chrono::floor<date::days>(t);
  date::year_month_day ymd{days};
  int64_t ms = (t - days).count();
  int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) {
    out.append(date::format("%FT%TZ", t));
    return;
  }
  unsigned mo = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
  unsigned h = static_cast<unsigned>(ms / 3'600'000), mi = static_cast<unsigned>(ms / 60'000 % 60);
  unsigned sec = static_cast<unsigned>(ms / 1000 % 60), milli = static_cast<unsigned>(ms % 1000);
  // "YYYY-MM-DDTHH:MM:SS.mmmZ", digit by digit (snprintf's format parsing was most of the cost).
  char buf[] = "0000-00-00T00:00:00.000Z";
  auto put = [&](int at, unsigned v, int digits) {
    for (int i = at + digits - 1; i >= at; --i, v /= 10) buf[i] = static_cast<char>('0' + v % 10);
  };
  put(0, static_cast<unsigned>(y), 4);
  put(5, mo, 2);
  put(8, d, 2);
  put(11, h, 2);
  put(14, mi, 2);
  put(17, sec, 2);
  put(20, milli, 3);
  out.append(buf, sizeof buf - 1);
}

std::string format_utc(Timestamp t) {
  std::string out;
  append_utc(out, t);
  return out;
}

Result<std::string> format_in_zone(Timestamp t, std::string_view zone) {
  try {
    auto zt = date::make_zoned(std::string(zone), std::chrono::floor<std::chrono::seconds>(t));
    std::string s = date::format("%FT%T%Ez", zt);
    return s;
  } catch (const std::exception& e) {
    return invalid("unknown time zone '" + std::string(zone) + "'", "zone");
  }
}

bool is_known_zone(std::string_view zone) {
  try {
    (void)date::locate_zone(std::string(zone));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

int64_t to_unix_millis(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp from_unix_millis(int64_t ms) { return Timestamp{Millis{ms}}; }

Timestamp SystemClock::now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

}  // namespace liandong::core
