// CSV (RFC 4180) for the registry imports and exports: comma-separated fields, double quotes
// around fields that hold commas, quotes or line breaks ("" for a quote inside), CRLF or LF line
// ends, UTF-8 (a leading byte-order mark is skipped).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace liandong::api::internal {

struct CsvRow {
  size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

// All rows, the header included; empty lines are skipped. invalid_argument naming the line when a
// quoted field is not closed or a quote stands inside an unquoted field.
core::Result<std::vector<CsvRow>> parse_csv(std::string_view text);

// One field, quoted when it needs to be; and a whole line (with "\r\n").
std::string csv_field(std::string_view value);
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace liandong::api::internal
