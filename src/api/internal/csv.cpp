#include "api/internal/csv.h"

namespace liandong::api::internal {

core::Result<std::vector<CsvRow>> parse_csv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  size_t line = 1;
  row.line = 1;
  bool quoted = false, after_quote = false, any = false;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    after_quote = false;
  };
  auto end_row = [&] {
    end_field();
    bool blank = row.fields.size() == 1 && row.fields[0].empty() && !any;
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{};
    row.line = line;
    any = false;
  };
  size_t quote_line = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || after_quote)
        return core::invalid("line " + std::to_string(line) + ": a quote inside an unquoted field", "body");
      quoted = true;
      any = true;
      quote_line = line;
    } else if (c == ',') {
      any = true;
      end_field();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_row();
    } else {
      if (after_quote)
        return core::invalid("line " + std::to_string(line) + ": text after a closing quote", "body");
      field.push_back(c);
    }
  }
  if (quoted) return core::invalid("line " + std::to_string(quote_line) + ": a quoted field is not closed", "body");
  if (!field.empty() || !row.fields.empty() || any) end_row();
  return rows;
}

std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_field(fields[i]);
  }
  return out + "\r\n";
}

}  // namespace liandong::api::internal
