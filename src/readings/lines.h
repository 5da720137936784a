// The compact line protocol for readings: one reading a line (docs/READINGS.md).
//
//   STATION PARAMETER TIME VALUE [QUALITY]
//   441300-MON-12 cadmium 2026-12-02T08:00:00+08:00 0.0062 suspect
//   441300-MON-12 ph 1796169600000 7.4
//
// Fields are separated by one or more spaces or tabs. TIME is RFC 3339 with an offset ("Z" or
// ±hh:mm; a fraction of a second is allowed, cut to milliseconds) or Unix epoch milliseconds as a
// plain integer; VALUE a finite decimal number; QUALITY one of the names of reading.h (default
// ok). Blank lines and lines whose first non-blank character is '#' are skipped; "\r\n" ends a
// line as "\n" does. Every reading obeys the limits of reading.h; a line is at most kMaxLineBytes.
//
// All functions here are pure and thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "readings/reading.h"

namespace liandong::readings {

inline constexpr size_t kMaxLineBytes = 512;    // without its "\n" or "\r\n"
inline constexpr size_t kMaxLineErrors = 1000;  // listed; further malformed lines are counted

struct LineError {
  size_t line;          // 1-based
  std::string message;  // what is wrong, e.g. "value 'abc' is not a decimal number"
};

struct ParsedLines {
  std::vector<Reading> readings;      // the good lines' readings, in body order
  std::vector<size_t> reading_lines;  // the line (1-based) of each reading
  std::vector<LineError> errors;      // the first kMaxLineErrors malformed lines, in body order
  size_t errors_omitted = 0;          // malformed lines after those, counted but not listed
};

// Parses a body of lines. Never fails as a whole: each malformed line is reported with its number
// and what is wrong, and the good lines are kept. The caller limits the body's size. Allocates
// nothing per line beyond the Reading's two strings (short ids fit in them without allocating).
ParsedLines parse_lines(std::string_view body);

// One reading as a line (no "\n"): the time as RFC 3339 UTC with milliseconds, the value in the
// shortest form that reads back to the same double, the quality only when not ok. For a reading
// that check_reading() accepts, parse_lines(format_line(r)) gives back r.
std::string format_line(const Reading& r);
// Same, appended to `out` followed by "\n".
void append_line(const Reading& r, std::string& out);

}  // namespace liandong::readings
