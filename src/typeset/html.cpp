// render_html: one standalone page, styled inline, laid out like the PDF (docs/TYPESET.md).
#include <algorithm>
#include <string>
#include <string_view>

#include "typeset/document.h"
#include "typeset/internal/utf8.h"

namespace liandong::typeset {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// HTML forbids C0 controls other than tab, line feed, form feed and carriage return, DEL and the
// C1 controls, and noncharacters are parse errors; they become U+FFFD like invalid bytes.
bool allowed_in_html(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r' || c == '\f') return true;
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return false;
  if (c >= 0xFDD0 && c <= 0xFDEF) return false;
  if ((c & 0xFFFE) == 0xFFFE) return false;
  return true;
}

// Escaped text; with `breaks`, each '\n' becomes <br>.
void append_text(std::string& out, std::string_view raw, bool breaks = false) {
  const std::string text = internal::sanitize_utf8(raw);
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t len = internal::valid_sequence_length(text, at);  // > 0: sanitized
    const char32_t c = internal::decode_utf8(text, at, len);
    if (!allowed_in_html(c)) {
      out += kReplacement;
    } else if (len > 1) {
      out.append(text, at, len);
    } else {
      switch (text[at]) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\r':  // "\r\n" is one break, a lone "\r" one too
          if (at + 1 < text.size() && text[at + 1] == '\n') break;
          [[fallthrough]];
        case '\n': out += breaks ? "<br>\n" : " "; break;
        default: out += text[at];
      }
    }
    at += len;
  }
}

void element(std::string& out, std::string_view tag, std::string_view cls, std::string_view text,
             bool breaks = false) {
  out += '<';
  out += tag;
  if (!cls.empty()) {
    out += " class=\"";
    out += cls;
    out += '"';
  }
  out += '>';
  append_text(out, text, breaks);
  out += "</";
  out += tag;
  out += ">\n";
}

constexpr std::string_view kStyle = R"(<style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
html { background: #f4f4f4; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif;
  font-size: 16pt; line-height: 1.8; color: #000; background: #fff; max-width: 156mm;
  margin: 1em auto; padding: 20mm 26mm 20mm 28mm; }
.classification { font-family: "Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif;
  margin: 0; }
.issuer { color: #e60012; text-align: center; font-size: 30pt; font-weight: bold;
  letter-spacing: 0.1em; line-height: 1.3; margin: 0.3em 0; }
.meta { display: flex; justify-content: space-between; gap: 1em; margin: 0; }
.rule { border: 0; border-top: 2px solid #e60012; margin: 0.2em 0 1em 0; }
.title { text-align: center; font-size: 22pt; font-weight: bold; line-height: 1.5;
  margin: 0.5em 0; }
h2 { font-family: "Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif; font-size: 16pt;
  font-weight: bold; text-indent: 2em; margin: 0.6em 0 0 0; }
p.body { text-indent: 2em; text-align: justify; margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.5;
  margin: 0.5em 0; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; overflow-wrap: anywhere; }
th { font-family: "Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif; background: #eee; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.closing { text-align: right; margin: 1em 2em 0 0; }
.closing p { margin: 0; }
.distribution { border-top: 1px solid #000; border-bottom: 1px solid #000; margin-top: 2em;
  padding: 0.2em 1em; font-size: 14pt; }
@media print { html, body { background: none; } body { margin: 0; padding: 0; max-width: none; } }
</style>
)";

void append_table(std::string& out, const Table& table) {
  std::size_t columns = table.header.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  if (columns == 0) return;
  out += "<table>\n";
  if (!table.header.empty()) {
    out += "<thead><tr>";
    for (std::size_t c = 0; c < columns; ++c) {
      out += "<th>";
      if (c < table.header.size()) append_text(out, table.header[c], true);
      out += "</th>";
    }
    out += "</tr></thead>\n";
  }
  out += "<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < columns; ++c) {
      out += "<td>";
      if (c < row.size()) append_text(out, row[c], true);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

}  // namespace

std::string render_html(const Document& doc) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  std::string title = doc.title;
  if (!doc.number.empty()) title += (title.empty() ? "" : " ") + doc.number;
  if (title.empty()) title = doc.issuer;
  element(out, "title", "", title);
  out += kStyle;
  out += "</head>\n<body>\n";
  if (!doc.classification.empty()) element(out, "p", "classification", doc.classification);
  out += "<header>\n";
  if (!doc.issuer.empty()) element(out, "h1", "issuer", doc.issuer, true);
  if (!doc.number.empty() || !doc.date.empty()) {
    out += "<div class=\"meta\">";
    element(out, "span", "number", doc.number);
    element(out, "span", "date", doc.date);
    out += "</div>\n";
  }
  if (!doc.issuer.empty() || !doc.number.empty() || !doc.date.empty()) {
    out += "<hr class=\"rule\">\n";
  }
  out += "</header>\n<main>\n";
  if (!doc.title.empty()) element(out, "p", "title", doc.title, true);
  for (const Section& section : doc.sections) {
    out += "<section>\n";
    if (!section.heading.empty()) element(out, "h2", "", section.heading, true);
    for (const std::string& paragraph : section.paragraphs) {
      element(out, "p", "body", paragraph, true);
    }
    if (section.table) append_table(out, *section.table);
    out += "</section>\n";
  }
  if (!doc.closing.empty()) {
    out += "<div class=\"closing\">\n";
    for (const std::string& line : doc.closing) element(out, "p", "", line);
    out += "</div>\n";
  }
  out += "</main>\n";
  if (!doc.distribution.empty()) {
    out += "<footer>\n";
    element(out, "p", "distribution", doc.distribution, true);
    out += "</footer>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace liandong::typeset
