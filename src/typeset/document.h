// Typesetting of the duty office's documents (daily reports 日报, bulletins 简报, special reports
// 专报): a Document model, rendered as a standalone HTML page or as an A4 PDF laid out in the
// manner of GB/T 9704 (red issuer heading over a red rule, title, number and date, numbered
// sections, justified paragraphs with a two-character first-line indent, bordered tables, closing
// lines, the distribution line and page numbers "— N —"). docs/TYPESET.md describes the layout,
// the fonts and the limits.
//
// The model holds plain text only (never markup): every renderer escapes what it needs. Text is
// UTF-8. Documents are bounded (kMaxTextBytes, kMaxTableRows, kMaxTableColumns, kMaxBlocks) so
// that one bad request cannot exhaust the node; check() says what is wrong and where.
//
// Thread-safety: all functions are safe to call from several threads at once. render_pdf
// serialises its use of Pango's font map (one PDF is rendered at a time in the process); the
// others are pure functions. Nothing is retained from one call to the next except the font map.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace liandong::typeset {

// A table with borders. Rows shorter than the widest row (or the header) are padded with empty
// cells; in the PDF the header row is repeated on every page the table continues on.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct Section {
  std::string heading;                  // e.g. "一、总体情况" (may be empty)
  std::vector<std::string> paragraphs;  // plain text; '\n' inside a paragraph = line break
  std::optional<Table> table;           // after the paragraphs
};

struct Document {
  std::string issuer;          // the red heading (红头), e.g. "佛山市应急管理局"
  std::string title;           // e.g. "值班信息日报" / "突发事件信息简报"
  std::string number;          // e.g. "2026年第12期"
  std::string date;            // e.g. "2026年12月2日"
  std::string classification;  // optional, top-left, e.g. "内部资料"
  std::vector<Section> sections;
  std::vector<std::string> closing;  // end lines, right-aligned: 报送单位, 联系人及电话
  std::string distribution;          // optional foot line: "报：… 送：…"
};

// Limits, over the whole document.
inline constexpr std::size_t kMaxTextBytes = 2 * 1024 * 1024;  // all text fields together
inline constexpr std::size_t kMaxTableRows = 5000;             // all tables' rows together
inline constexpr std::size_t kMaxTableColumns = 20;            // per table (A4 width)
inline constexpr std::size_t kMaxBlocks = 20000;  // sections, paragraphs, closing lines together

// Ok, or kInvalidArgument naming the field at fault (e.g. "sections[2].table.rows",
// "sections[0].paragraphs[3]") when the document is over a limit or a text field is not valid
// UTF-8. render_pdf calls it; callers of render_html may call it first.
core::Status check(const Document& doc);

// A standalone UTF-8 HTML5 page (inline CSS, print-friendly: A4 page, table headers repeated on
// printed pages), every text escaped. Never fails: bytes that are not valid UTF-8 and control
// characters HTML does not allow become U+FFFD; no limit is applied (see check()).
std::string render_html(const Document& doc);

// The PDF's bytes (PDF 1.5, A4, fonts embedded as subsets). Fonts come from fontconfig: Noto Serif
// CJK SC for the text, Noto Sans CJK SC (bold) for headings (Debian: fonts-noto-cjk). Long
// unbroken text wraps between characters. On failure:
//   kInvalidArgument — as check();
//   kUnavailable     — no font covering Chinese text is installed;
//   kInternal        — Cairo or Pango failed (the message carries their reason).
// Never crashes on any input within the limits.
core::Result<std::string> render_pdf(const Document& doc);

}  // namespace liandong::typeset
