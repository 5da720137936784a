#include "typeset/internal/table_writer.h"

#include <algorithm>
#include <numeric>

namespace liandong::typeset::internal {
namespace {

constexpr double kFontSize = 10.5;  // 五号
constexpr double kPadX = 4, kPadY = 3;
constexpr double kRule = 0.6;
// Column widths are measured on the header and this many rows: enough to see the data's shape,
// not a second layout of a 5,000-row table.
constexpr std::size_t kMeasuredRows = 100;

struct Cell {
  LayoutPtr layout;
  std::vector<LineBox> lines;
  std::size_t next = 0;  // the first line not yet drawn
};

struct Row {
  std::vector<Cell> cells;
  double height() const {  // what is left of it, padding included
    double most = 0;
    for (const Cell& cell : cells) {
      if (cell.next < cell.lines.size()) {
        const LineBox& first = cell.lines[cell.next];
        const LineBox& last = cell.lines.back();
        most = std::max(most, last.top + last.height - first.top);
      }
    }
    return most + 2 * kPadY;
  }
  bool done() const {
    return std::all_of(cells.begin(), cells.end(),
                       [](const Cell& c) { return c.next >= c.lines.size(); });
  }
  void rewind() {
    for (Cell& cell : cells) cell.next = 0;
  }
};

std::string_view cell_text(const std::vector<std::string>& row, std::size_t column) {
  return column < row.size() ? std::string_view(row[column]) : std::string_view();
}

class TableWriter {
 public:
  TableWriter(PageWriter& writer, const Table& table) : w_(writer), table_(table) {
    columns_ = table.header.size();
    for (const auto& row : table.rows) columns_ = std::max(columns_, row.size());
  }

  void write() {
    if (columns_ == 0) return;
    widths_ = column_widths();
    if (!table_.header.empty()) {
      header_ = make_row(table_.header, Face::kSansBold);
      // A header taller than half a page is not repeated (it would leave no room for rows).
      repeat_header_ = header_.height() <= kBlockHeight / 2;
    }
    // Keep the header with at least the first row (or its first lines).
    double first = header_.cells.empty() ? 0 : header_.height();
    if (!table_.rows.empty()) {
      Row row = make_row(table_.rows.front(), Face::kSerif);
      first += std::min(row.height(), 3 * kFontSize * 1.6);
    }
    if (first > w_.room() && !w_.at_page_top()) w_.new_page();
    if (!header_.cells.empty()) place(header_, false);
    for (const auto& data : table_.rows) {
      Row row = make_row(data, Face::kSerif);
      place(row, true);
    }
  }

 private:
  Row make_row(const std::vector<std::string>& texts, Face face) const {
    Row row;
    Style style{.face = face, .size = kFontSize};
    for (std::size_t c = 0; c < columns_; ++c) {
      Cell cell;
      cell.layout = w_.layout(cell_text(texts, c), style, widths_[c] - 2 * kPadX);
      cell.lines = PageWriter::lines(cell.layout.get());
      row.cells.push_back(std::move(cell));
    }
    return row;
  }

  // Natural (unwrapped) width per column, capped; the table spans the text block's width.
  std::vector<double> column_widths() const {
    std::vector<double> natural(columns_, 2 * kFontSize);
    const double cap = kBlockWidth / 2;
    auto measure = [&](const std::vector<std::string>& texts, Face face) {
      Style style{.face = face, .size = kFontSize};
      for (std::size_t c = 0; c < columns_; ++c) {
        LayoutPtr layout = w_.layout(cell_text(texts, c), style, kBlockWidth * 4);
        pango_layout_set_width(layout.get(), -1);
        PangoRectangle logical;
        pango_layout_get_extents(layout.get(), nullptr, &logical);
        const double width = static_cast<double>(logical.width) / PANGO_SCALE + 2 * kPadX;
        natural[c] = std::max(natural[c], std::min(width, cap));
      }
    };
    measure(table_.header, Face::kSansBold);
    for (std::size_t r = 0; r < table_.rows.size() && r < kMeasuredRows; ++r) {
      measure(table_.rows[r], Face::kSerif);
    }
    const double total = std::accumulate(natural.begin(), natural.end(), 0.0);
    std::vector<double> widths(columns_);
    for (std::size_t c = 0; c < columns_; ++c) widths[c] = kBlockWidth * natural[c] / total;
    return widths;
  }

  // Draws what of the row fits from the cursor down: whole lines of each cell, the cells' borders
  // around them. Returns whether any line was drawn.
  bool fragment(Row& row, bool force) {
    const double room = w_.room() - 2 * kPadY;
    double height = 0;
    std::vector<std::pair<std::size_t, std::size_t>> spans(row.cells.size());
    bool any = false;
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      Cell& cell = row.cells[c];
      std::size_t end = cell.next;
      const double origin = cell.next < cell.lines.size() ? cell.lines[cell.next].top : 0;
      while (end < cell.lines.size()) {
        const LineBox& box = cell.lines[end];
        const bool fits = box.top + box.height - origin <= room;
        if (!fits && !(force && end == cell.next)) break;
        height = std::max(height, box.top + box.height - origin);
        ++end;
      }
      spans[c] = {cell.next, end};
      any = any || end > cell.next;
    }
    if (!any) return false;
    height += 2 * kPadY;
    cairo_t* cr = w_.cr();
    double x = kLeft;
    const double top = w_.y();
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      Cell& cell = row.cells[c];
      const auto [from, to] = spans[c];
      const double origin = from < cell.lines.size() ? cell.lines[from].top : 0;
      for (std::size_t i = from; i < to; ++i) {
        const LineBox& box = cell.lines[i];
        w_.draw_line(box, x + kPadX, top + kPadY + box.top - origin, 0);
      }
      cell.next = to;
      cairo_rectangle(cr, x, top, widths_[c], height);
      x += widths_[c];
    }
    cairo_set_line_width(cr, kRule);
    cairo_stroke(cr);
    w_.advance(height);
    return true;
  }

  void new_page() {
    w_.new_page();
    if (repeat_header_) {
      header_.rewind();
      while (!header_.done()) fragment(header_, true);
    }
  }

  void place(Row& row, bool data) {
    const double full_page = kBlockHeight - (repeat_header_ ? header_.height() : 0);
    if (row.height() > w_.room() && row.height() <= full_page && !w_.at_page_top()) {
      if (data) {
        new_page();
      } else {
        w_.new_page();
      }
    }
    while (true) {
      if (!fragment(row, w_.at_page_top())) {
        data ? new_page() : w_.new_page();
        // Nothing fits below a repeated header (a huge one): place a line regardless.
        if (!fragment(row, true)) return;
      }
      if (row.done()) return;
      data ? new_page() : w_.new_page();
    }
  }

  PageWriter& w_;
  const Table& table_;
  std::size_t columns_ = 0;
  std::vector<double> widths_;
  Row header_;
  bool repeat_header_ = false;
};

}  // namespace

void write_table(PageWriter& writer, const Table& table) { TableWriter(writer, table).write(); }

}  // namespace liandong::typeset::internal
