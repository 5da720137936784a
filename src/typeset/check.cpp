// check(): the document's limits and that its text is UTF-8, naming the field at fault.
#include <string>
#include <string_view>

#include "typeset/document.h"
#include "typeset/internal/utf8.h"

namespace liandong::typeset {
namespace {

// Adds up the text and checks each field's encoding as it goes.
class Checker {
 public:
  core::Status text(std::string_view value, const std::string& field) {
    bytes_ += value.size();
    if (bytes_ > kMaxTextBytes) {
      return core::invalid("the document holds more than " + std::to_string(kMaxTextBytes) +
                               " bytes of text (the limit is crossed at this field)",
                           field);
    }
    const std::size_t bad = internal::first_invalid_utf8(value);
    if (bad != std::string_view::npos) {
      return core::invalid("not valid UTF-8 at byte " + std::to_string(bad), field);
    }
    return core::Status::ok();
  }

  // A section, a paragraph or a closing line: each is laid out on its own, so their number is
  // bounded as well as their text (a million empty paragraphs hold no text).
  core::Status block(const std::string& field) {
    if (++blocks_ > kMaxBlocks) {
      return core::invalid("the document holds more than " + std::to_string(kMaxBlocks) +
                               " sections, paragraphs and closing lines together",
                           field);
    }
    return core::Status::ok();
  }

 private:
  std::size_t bytes_ = 0;
  std::size_t blocks_ = 0;
};

}  // namespace

core::Status check(const Document& doc) {
  Checker checker;
  LD_RETURN_IF_ERROR(checker.text(doc.issuer, "issuer"));
  LD_RETURN_IF_ERROR(checker.text(doc.title, "title"));
  LD_RETURN_IF_ERROR(checker.text(doc.number, "number"));
  LD_RETURN_IF_ERROR(checker.text(doc.date, "date"));
  LD_RETURN_IF_ERROR(checker.text(doc.classification, "classification"));
  std::size_t rows = 0;
  for (std::size_t s = 0; s < doc.sections.size(); ++s) {
    const Section& section = doc.sections[s];
    const std::string at = "sections[" + std::to_string(s) + "]";
    LD_RETURN_IF_ERROR(checker.block(at));
    LD_RETURN_IF_ERROR(checker.text(section.heading, at + ".heading"));
    for (std::size_t p = 0; p < section.paragraphs.size(); ++p) {
      const std::string field = at + ".paragraphs[" + std::to_string(p) + "]";
      LD_RETURN_IF_ERROR(checker.block(field));
      LD_RETURN_IF_ERROR(checker.text(section.paragraphs[p], field));
    }
    if (!section.table) continue;
    const Table& table = *section.table;
    rows += table.rows.size();
    if (rows > kMaxTableRows) {
      return core::invalid("the document's tables hold more than " +
                               std::to_string(kMaxTableRows) + " rows together",
                           at + ".table.rows");
    }
    if (table.header.size() > kMaxTableColumns) {
      return core::invalid("a table has " + std::to_string(table.header.size()) +
                               " columns; at most " + std::to_string(kMaxTableColumns) + " fit",
                           at + ".table.header");
    }
    for (std::size_t h = 0; h < table.header.size(); ++h) {
      LD_RETURN_IF_ERROR(
          checker.text(table.header[h], at + ".table.header[" + std::to_string(h) + "]"));
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const std::string row_at = at + ".table.rows[" + std::to_string(r) + "]";
      if (table.rows[r].size() > kMaxTableColumns) {
        return core::invalid("a row has " + std::to_string(table.rows[r].size()) +
                                 " cells; at most " + std::to_string(kMaxTableColumns) + " fit",
                             row_at);
      }
      for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
        LD_RETURN_IF_ERROR(checker.text(table.rows[r][c], row_at + "[" + std::to_string(c) + "]"));
      }
    }
  }
  for (std::size_t i = 0; i < doc.closing.size(); ++i) {
    const std::string field = "closing[" + std::to_string(i) + "]";
    LD_RETURN_IF_ERROR(checker.block(field));
    LD_RETURN_IF_ERROR(checker.text(doc.closing[i], field));
  }
  LD_RETURN_IF_ERROR(checker.text(doc.distribution, "distribution"));
  return core::Status::ok();
}

}  // namespace liandong::typeset
