#include "alerts/national_id.h"

#include <chrono>
#include <cstdio>

#include "alerts/internal/text.h"

namespace liandong::alerts {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::seconds;

constexpr hours kBeijingOffset{8};

struct Civil {
  int year, month, day, hour, minute, second;
};

Civil beijing_civil(core::Timestamp t) {
  const auto local = floor<seconds>(t) + kBeijingOffset;
  const auto d = floor<days>(local);
  const std::chrono::year_month_day ymd{d};
  const std::chrono::hh_mm_ss hms{local - d};
  return {int(ymd.year()),          int(unsigned(ymd.month())), int(unsigned(ymd.day())),
          int(hms.hours().count()), int(hms.minutes().count()), int(hms.seconds().count())};
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int number(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::string format_national_id(const NationalId& id) {
  const Civil c = beijing_civil(id.entry);
  char when[64];
  std::snprintf(when, sizeof when, "%04d%02d%02d%02d%02d%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return id.division + id.body + "_" + when + "_" + std::to_string(id.sequence);
}

core::Status check_national_id(const NationalId& id) {
  if (id.division.size() != 6 || !all_digits(id.division) || id.division == "000000")
    return core::invalid("the division must be a six-digit GB/T 2260 code, e.g. 441300; got '" +
                             internal::excerpt(id.division) + "'",
                         "division");
  if (id.body.size() != 8 || !all_digits(id.body))
    return core::invalid(
        "the body code must be eight digits DDDUUUXX (sector, unit, extension), "
        "e.g. 41600000; got '" +
            internal::excerpt(id.body) + "'",
        "body");
  if (id.sequence < 0 || id.sequence > 9)
    return core::invalid("the sequence must be a digit 0-9; got " + std::to_string(id.sequence),
                         "sequence");
  const Civil c = beijing_civil(id.entry);
  if (c.year < 1000 || c.year > 9999)
    return core::invalid("the entry time must fall in the years 1000-9999 (Beijing time)", "entry");
  return core::Status::ok();
}

core::Result<NationalId> parse_national_id(std::string_view text) {
  auto bad = [&](const std::string& why) -> core::Status {
    return core::invalid(
        "'" + internal::excerpt(text) +
        "' is not a national warning identifier ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N: " + why);
  };
  if (text.size() != 31)
    return bad("it has " + std::to_string(text.size()) + " characters, not 31");
  if (text[14] != '_' || text[29] != '_')
    return bad("'_' must separate the body code, the entry time and the sequence");
  const std::string_view code = text.substr(0, 14), when = text.substr(15, 14),
                         seq = text.substr(30, 1);
  if (!all_digits(code)) return bad("the division and body code ZZZZZZDDDUUUXX must be 14 digits");
  if (code.substr(0, 6) == "000000") return bad("000000 is not a division code");
  if (!all_digits(when)) return bad("the entry time YYYYMMDDhhmmss must be 14 digits");
  if (!all_digits(seq)) return bad("the sequence N must be a digit");
  const int y = number(when.substr(0, 4)), mo = number(when.substr(4, 2)),
            d = number(when.substr(6, 2)), h = number(when.substr(8, 2)),
            mi = number(when.substr(10, 2)), s = number(when.substr(12, 2));
  const std::chrono::year_month_day ymd{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (y < 1000 || !ymd.ok())
    return bad("the entry date " + std::string(when.substr(0, 8)) + " does not exist");
  if (h > 23 || mi > 59 || s > 59)
    return bad("the entry time of day " + std::string(when.substr(8, 6)) + " does not exist");
  NationalId id;
  id.division = std::string(code.substr(0, 6));
  id.body = std::string(code.substr(6, 8));
  id.entry = std::chrono::time_point_cast<core::Millis>(std::chrono::sys_days{ymd}) + hours{h} +
             std::chrono::minutes{mi} + seconds{s} - kBeijingOffset;
  id.sequence = seq[0] - '0';
  return id;
}

std::string beijing_time(core::Timestamp t) {
  const Civil c = beijing_civil(t);
  char out[64];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", c.year, c.month, c.day,
                c.hour, c.minute, c.second);
  return out;
}

}  // namespace liandong::alerts
