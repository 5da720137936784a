#include "readings/lines.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "readings/internal/fast_parse.h"
#include "readings/internal/quote.h"

namespace liandong::readings {
namespace {

using internal::quote;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Splits `line` at runs of blanks into at most `max` fields; returns how many there are, counting
// one more than `max` when there is text beyond them.
size_t split(std::string_view line, std::string_view* fields, size_t max) {
  size_t n = 0, i = 0;
  const size_t size = line.size();
  while (true) {
    while (i < size && is_blank(line[i])) ++i;
    if (i == size) return n;
    if (n == max) return n + 1;
    size_t start = i;
    while (i < size && !is_blank(line[i])) ++i;
    fields[n++] = line.substr(start, i - start);
  }
}

class Parser {
 public:
  explicit Parser(ParsedLines& out) : out_(out) {}

  void line(std::string_view text, size_t number) {
    if (text.size() > kMaxLineBytes)
      return error(number, "line is " + std::to_string(text.size()) +
                               " bytes long, over the limit of " + std::to_string(kMaxLineBytes));
    std::string_view f[5];
    size_t n = split(text, f, 5);
    if (n == 0 || f[0][0] == '#') return;  // blank or a comment
    if (n < 4)
      return error(number, "expected STATION PARAMETER TIME VALUE [QUALITY], got " +
                               std::to_string(n) + (n == 1 ? " field" : " fields"));
    if (n > 5) return error(number, "unexpected text after the quality (more than 5 fields)");
    if (!is_station_id(f[0]))
      return error(number,
                   "station " + quote(f[0]) + " is not a station id of the form 441300-MON-12");
    if (!is_parameter_code(f[1]))
      return error(number, "parameter " + quote(f[1], 70) +
                               " is not a code of the form [a-z][a-z0-9_]{0,63}");
    int64_t ms = 0;
    const char* why = nullptr;
    if (!internal::parse_time(f[2], ms, why))
      return error(number, "time " + quote(f[2]) + " " + why);
    double value = 0;
    if (!internal::parse_value(f[3], value, why))
      return error(number, "value " + quote(f[3]) + " " + why);
    Quality quality = Quality::kOk;
    if (n == 5) {
      auto q = quality_from_name(f[4]);
      if (!q)
        return error(number, "quality " + quote(f[4]) +
                                 " is not one of ok, suspect, invalid, estimated, maintenance");
      quality = *q;
    }
    Reading& r = out_.readings.emplace_back();
    r.station.assign(f[0]);
    r.parameter.assign(f[1]);
    r.time = core::from_unix_millis(ms);
    r.value = value;
    r.quality = quality;
    out_.reading_lines.push_back(number);
  }

 private:
  void error(size_t number, std::string message) {
    if (out_.errors.size() < kMaxLineErrors)
      out_.errors.push_back({number, std::move(message)});
    else
      ++out_.errors_omitted;
  }

  ParsedLines& out_;
};

}  // namespace

ParsedLines parse_lines(std::string_view body) {
  ParsedLines out;
  // The shortest reading line ("441300-A-1 a 0 0\n") is 17 bytes, so reserving one reading per
  // line but at most one per 17 bytes never holds more than the body could fill.
  size_t lines = static_cast<size_t>(std::count(body.begin(), body.end(), '\n')) + 1;
  size_t cap = std::min(lines, body.size() / 17 + 1);
  out.readings.reserve(cap);
  out.reading_lines.reserve(cap);
  Parser parser(out);
  const char* p = body.data();
  const char* end = body.data() + body.size();
  size_t number = 0;
  while (p < end) {
    ++number;
    auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = nl ? nl : end;
    std::string_view text(p, static_cast<size_t>(line_end - p));
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    parser.line(text, number);
    p = nl ? nl + 1 : end;
  }
  return out;
}

void append_line(const Reading& r, std::string& out) {
  out += r.station;
  out += ' ';
  out += r.parameter;
  out += ' ';
  out += core::format_utc(r.time);
  out += ' ';
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, r.value);
  out.append(buf, ec == std::errc{} ? static_cast<size_t>(ptr - buf) : 0);
  if (r.quality != Quality::kOk) {
    out += ' ';
    out += quality_name(r.quality);
  }
  out += '\n';
}

std::string format_line(const Reading& r) {
  std::string s;
  append_line(r, s);
  s.pop_back();
  return s;
}

}  // namespace liandong::readings
