// The PDF's page flow: an A4 page with GB/T 9704's text block (156 mm × 225 mm, top margin 37 mm,
// left 28 mm), a cursor moving down it, lines of Pango layouts placed one by one so that a
// paragraph or a table cell continues on the next page, and the page number "— N —" under the
// block (odd pages right, even pages left, one character in).
//
// Owns nothing of Cairo or Pango beyond the layouts it makes; the caller keeps the context and the
// surface alive and holds the font map's lock. Not thread-safe (one per rendering).
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace liandong::typeset::internal {

struct GObjectUnref {
  void operator()(void* object) const;
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;

// Millimetres to PDF points.
constexpr double mm(double millimetres) { return millimetres * 72.0 / 25.4; }

constexpr double kPageWidth = mm(210), kPageHeight = mm(297);
constexpr double kLeft = mm(28), kTop = mm(37);
constexpr double kBlockWidth = mm(156), kBlockHeight = mm(225);

enum class Face { kSerif, kSerifBold, kSans, kSansBold };

struct Style {
  Face face = Face::kSerif;
  double size = 16;  // points
  PangoAlignment align = PANGO_ALIGN_LEFT;
  bool justify = false;
  double indent = 0;  // points, first line of each paragraph
};

// One line of a layout, in points, relative to the layout's top.
struct LineBox {
  PangoLayoutLine* line;  // owned by the layout
  double x;               // origin of the line
  double top, height, baseline;
};

// The text as Pango should get it: "\r\n" and a lone "\r" become "\n"; other C0 controls and DEL
// become U+FFFD (the text is valid UTF-8: check() ran).
std::string clean_text(std::string_view text);

class PageWriter {
 public:
  PageWriter(cairo_t* cr, PangoContext* context);

  // A layout of the text (cleaned) at the width, wrapping between words or characters.
  LayoutPtr layout(std::string_view text, const Style& style, double width) const;
  static std::vector<LineBox> lines(PangoLayout* layout);

  // Places the layout's lines at x, each in a slot of `pitch` points (0: the layout's own line
  // heights), breaking pages between lines.
  void flow(PangoLayout* layout, double x, double pitch = 0);
  // Draws one line with its slot's top at y.
  void draw_line(const LineBox& box, double x, double y, double pitch);

  double y() const { return y_; }
  void set_y(double y) { y_ = y; }
  void advance(double points) { y_ += points; }
  double bottom() const { return kTop + kBlockHeight; }
  double room() const { return bottom() - y_; }
  bool at_page_top() const { return y_ <= kTop; }
  int page() const { return page_; }
  // Ends the page (its number drawn) and starts the next with the cursor at the block's top.
  void new_page();
  // Ends the last page.
  void finish();

  cairo_t* cr() const { return cr_; }

 private:
  void page_number();

  cairo_t* cr_;
  PangoContext* context_;
  double y_ = kTop;
  int page_ = 1;
};

}  // namespace liandong::typeset::internal
