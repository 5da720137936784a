#include "alerts/internal/text.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

namespace liandong::alerts::internal {

std::string_view trim_xml_space(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_xml_space(s[b])) ++b;
  while (e > b && is_xml_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::string excerpt(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not mid-character
  return std::string(s.substr(0, n)) + "…";
}

namespace {

// The xs:decimal lexical form (sign allowed per `plus_ok`); true with the numeric value.
bool decimal_form(std::string_view t, bool plus_ok, double& out) {
  if (t.empty()) return false;
  size_t i = 0;
  if (t[0] == '-' || (t[0] == '+' && plus_ok)) i = 1;
  size_t digits = 0, dots = 0;
  for (size_t j = i; j < t.size(); ++j) {
    if (t[j] >= '0' && t[j] <= '9') {
      ++digits;
    } else if (t[j] == '.') {
      if (++dots > 1) return false;
    } else {
      return false;
    }
  }
  if (digits == 0) return false;
  std::string_view num = t.substr(t[0] == '+' ? 1 : 0);
  const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), out);
  if (ec == std::errc::result_out_of_range) return false;  // beyond double: not representable
  return ec == std::errc() && ptr == num.data() + num.size() && std::isfinite(out);
}

}  // namespace

std::optional<double> parse_decimal(std::string_view s) {
  double v;
  if (!decimal_form(trim_xml_space(s), /*plus_ok=*/true, v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_integer(std::string_view s) {
  std::string_view t = trim_xml_space(s);
  const bool plus = !t.empty() && t[0] == '+';
  if (plus) t.remove_prefix(1);
  if (t.empty() || t[0] == '+' || (plus && t[0] == '-')) return std::nullopt;
  std::int64_t v;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_coordinate(std::string_view s) {
  double v;
  if (!decimal_form(s, /*plus_ok=*/true, v)) return std::nullopt;
  return v;
}

std::string format_decimal(double v) {
  if (v == 0) return "0";  // also -0
  char buf[400];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc()) return "0";  // not reached for finite doubles (at most ~330 chars)
  return std::string(buf, ptr);
}

bool has_html(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '<') continue;
    size_t j = i + 1;
    if (s[j] == '/') ++j;
    if (j >= s.size() || !((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))) continue;
    while (j < s.size() && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                            (s[j] >= '0' && s[j] <= '9')))
      ++j;
    // A tag name then the end of the tag, a space before attributes, or "/>".
    if (j < s.size() && (s[j] == '>' || s[j] == ' ' || s[j] == '/')) {
      if (s.find('>', j) != std::string_view::npos) return true;
    }
  }
  return false;
}

bool is_xml_text(std::string_view s, size_t* at) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  auto fail = [&](size_t pos) {
    if (at) *at = pos;
    return false;
  };
  while (i < n) {
    // Eight printable ASCII bytes at a time (the bulk of CAP text).
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      const uint64_t high = w & 0x8080808080808080ULL;
      const uint64_t below_space = (w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL;
      if (high | below_space) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return fail(i);
      ++i;
      continue;
    }
    uint32_t cp;
    size_t len;
    if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F, len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F, len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07, len = 4;
    } else {
      return fail(i);
    }
    if (i + len > n) return fail(i);
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return fail(i);
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    const bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
      return fail(i);
    i += len;
  }
  return true;
}

bool is_language_tag(std::string_view s) {
  const std::string_view t = trim_xml_space(s);
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto alnum = [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); };
  size_t i = 0, part = 0;
  while (true) {
    size_t start = i;
    while (i < t.size() && (part == 0 ? alpha(t[i]) : alnum(t[i]))) ++i;
    const size_t len = i - start;
    if (len < 1 || len > 8) return false;
    if (i == t.size()) return true;
    if (t[i] != '-') return false;
    ++i;
    ++part;
  }
}

}  // namespace liandong::alerts::internal
