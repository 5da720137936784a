#include "alerts/cap.h"

#include <chrono>

#include "alerts/internal/text.h"

namespace liandong::alerts {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

core::Result<core::Timestamp> cap_time(std::string_view text) {
  const std::string_view s = internal::trim_xml_space(text);
  auto bad = [&](const char* why) -> core::Status {
    return core::invalid("'" + internal::excerpt(text) + "' is not a CAP date-time " +
                         "(YYYY-MM-DDThh:mm:ss±hh:mm): " + why);
  };
  if (s.empty()) return bad("it is empty");
  int y, mo, d, h, mi, sec, oh, om;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || s[10] != 'T' || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec)) {
    return bad("expected YYYY-MM-DDThh:mm:ss");
  }
  if (s.size() == 19) return bad("the offset ±hh:mm is missing");
  if (s[19] == '.') return bad("fractions of a second are not allowed");
  if (s[19] == 'Z' || s[19] == 'z') return bad("'Z' is not allowed; UTC is written -00:00");
  if ((s[19] != '+' && s[19] != '-') || !digits(s, 20, 2, oh) || s.size() < 25 || s[22] != ':' ||
      !digits(s, 23, 2, om)) {
    return bad("the offset must be ±hh:mm");
  }
  if (s.size() != 25) return bad("unexpected text after the offset");
  if (y == 0) return bad("there is no year 0000");
  if (mo < 1 || mo > 12) return bad("no such month");
  if (h > 23 || mi > 59 || sec > 59) return bad("no such time of day");
  if (oh > 14 || om > 59 || (oh == 14 && om > 0)) return bad("the offset is beyond ±14:00");
  const std::chrono::year_month_day ymd{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad("no such date");
  const int offset_min = (oh * 60 + om) * (s[19] == '-' ? -1 : 1);
  const auto t = std::chrono::time_point_cast<core::Millis>(std::chrono::sys_days{ymd}) +
                 std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{sec} -
                 std::chrono::minutes{offset_min};
  return core::Timestamp{t};
}

}  // namespace liandong::alerts
