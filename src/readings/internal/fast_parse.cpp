#include "readings/internal/fast_parse.h"

#include <charconv>
#include <cmath>

#include "readings/reading.h"

namespace liandong::readings::internal {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// n digits at s[pos..]; the caller has checked the length.
int digits(std::string_view s, size_t pos, size_t n, bool& ok) {
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!is_digit(c)) ok = false;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant, "chrono-
// Compatible Low-Level Date Algorithms", days_from_civil).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

unsigned days_in_month(int y, int m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return 29;
  return kDays[m - 1];
}

bool parse_rfc3339(std::string_view s, int64_t& ms, const char*& why) {
  // YYYY-MM-DDThh:mm:ss is 19 bytes; an offset must follow (checked below).
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':') {
    why = "is not RFC 3339 (YYYY-MM-DDThh:mm:ss with Z or an offset)";
    return false;
  }
  bool ok = true;
  int y = digits(s, 0, 4, ok), mo = digits(s, 5, 2, ok), d = digits(s, 8, 2, ok);
  int h = digits(s, 11, 2, ok), mi = digits(s, 14, 2, ok), sec = digits(s, 17, 2, ok);
  if (!ok) {
    why = "is not RFC 3339 (YYYY-MM-DDThh:mm:ss with Z or an offset)";
    return false;
  }
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    int scale = 100;
    while (pos < s.size() && is_digit(s[pos])) {
      frac_ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start || pos - start > 9) {
      why = "has a fraction of a second that is empty or longer than 9 digits";
      return false;
    }
  }
  if (pos >= s.size()) {
    why = "has no offset (Z or +hh:mm); times without an offset are refused";
    return false;
  }
  int offset_min = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    if (s.size() - pos != 6 || s[pos + 3] != ':') {
      why = "has an offset that is not +hh:mm or -hh:mm";
      return false;
    }
    int oh = digits(s, pos + 1, 2, ok), om = digits(s, pos + 4, 2, ok);
    if (!ok || oh > 23 || om > 59) {
      why = "has an offset that is not +hh:mm or -hh:mm";
      return false;
    }
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    why = "has no offset (Z or +hh:mm); times without an offset are refused";
    return false;
  }
  if (pos != s.size()) {
    why = "has text after the offset";
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, mo)) {
    why = "is not a calendar date";
    return false;
  }
  // Second 60 (a leap second) is accepted and counts as the next second, as core::parse_rfc3339.
  if (h > 23 || mi > 59 || sec > 60) {
    why = "has an hour, minute or second out of range";
    return false;
  }
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  ms = ((days * 24 + h) * 60 + mi - offset_min) * 60'000 + sec * 1000LL + frac_ms;
  return true;
}

}  // namespace

bool parse_time(std::string_view s, int64_t& ms, const char*& why) {
  if (s.size() >= 5 && s[4] == '-') {
    if (!parse_rfc3339(s, ms, why)) return false;
  } else {
    if (s.empty() || s.size() > 15) {
      why = s.empty() ? "is empty"
                      : "is neither RFC 3339 with an offset nor Unix epoch milliseconds before "
                        "year 10000";
      return false;
    }
    int64_t v = 0;
    for (char c : s) {
      if (!is_digit(c)) {
        why = "is neither RFC 3339 with an offset nor Unix epoch milliseconds (digits only)";
        return false;
      }
      v = v * 10 + (c - '0');
    }
    ms = v;
  }
  if (!is_reading_time(ms)) {
    why = "is outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z";
    return false;
  }
  return true;
}

bool parse_value(std::string_view s, double& v, const char*& why) {
  if (s.empty()) {
    why = "is empty";
    return false;
  }
  // from_chars also reads "nan", "inf" and "infinity"; only decimal characters are let through.
  bool any_digit = false;
  for (char c : s) {
    if (is_digit(c)) {
      any_digit = true;
    } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
      why = "is not a decimal number";
      return false;
    }
  }
  if (!any_digit) {
    why = "is not a decimal number";
    return false;
  }
  const char* first = s.data();
  const char* last = s.data() + s.size();
  // from_chars refuses a leading '+', which people write; a sign after it is still refused.
  if (*first == '+') ++first;
  if (first == last || *first == '+' || (first != s.data() && *first == '-')) {
    why = "is not a decimal number";
    return false;
  }
  auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    why = "is too large or too close to zero for a double";
    return false;
  }
  if (ec != std::errc{} || ptr != last) {
    why = "is not a decimal number";
    return false;
  }
  if (!is_reading_value(v)) {
    why = "is out of range (magnitude at most 1e15)";
    return false;
  }
  return true;
}

}  // namespace liandong::readings::internal
