#include "typeset/internal/page_writer.h"

#include <glib-object.h>

#include <algorithm>
#include <climits>

#include "typeset/internal/utf8.h"

namespace liandong::typeset::internal {
namespace {

const char* family(Face face) {
  return face == Face::kSans || face == Face::kSansBold ? "Noto Sans CJK SC" : "Noto Serif CJK SC";
}

int pango_units(double points) { return static_cast<int>(points * PANGO_SCALE + 0.5); }
double points(int units) { return static_cast<double>(units) / PANGO_SCALE; }

}  // namespace

void GObjectUnref::operator()(void* object) const { g_object_unref(object); }

std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '\r') {
      if (at + 1 < text.size() && text[at + 1] == '\n') continue;
      out += '\n';
    } else if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
  }
  return out;
}

PageWriter::PageWriter(cairo_t* cr, PangoContext* context) : cr_(cr), context_(context) {}

LayoutPtr PageWriter::layout(std::string_view text, const Style& style, double width) const {
  LayoutPtr layout(pango_layout_new(context_));
  PangoFontDescription* font = pango_font_description_new();
  pango_font_description_set_family(font, family(style.face));
  pango_font_description_set_weight(font, style.face == Face::kSerifBold ||
                                                  style.face == Face::kSansBold
                                              ? PANGO_WEIGHT_BOLD
                                              : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
  pango_layout_set_font_description(layout.get(), font);
  pango_font_description_free(font);
  PangoLanguage* chinese = pango_language_from_string("zh-cn");
  PangoAttrList* attrs = pango_attr_list_new();
  pango_attr_list_insert(attrs, pango_attr_language_new(chinese));
  pango_layout_set_attributes(layout.get(), attrs);
  pango_attr_list_unref(attrs);
  pango_layout_set_width(layout.get(), pango_units(std::max(width, 1.0)));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout.get(), style.align);
  pango_layout_set_justify(layout.get(), style.justify);
  pango_layout_set_indent(layout.get(), pango_units(style.indent));
  const std::string clean = clean_text(text);
  pango_layout_set_text(layout.get(), clean.data(), static_cast<int>(clean.size()));
  return layout;
}

std::vector<LineBox> PageWriter::lines(PangoLayout* layout) {
  std::vector<LineBox> out;
  PangoLayoutIter* iter = pango_layout_get_iter(layout);
  do {
    PangoRectangle in_layout, in_line;
    pango_layout_iter_get_line_extents(iter, nullptr, &in_layout);
    PangoLayoutLine* line = pango_layout_iter_get_line_readonly(iter);
    pango_layout_line_get_extents(line, nullptr, &in_line);
    out.push_back({line, points(in_layout.x - in_line.x), points(in_layout.y),
                   points(in_layout.height),
                   points(pango_layout_iter_get_baseline(iter) - in_layout.y)});
  } while (pango_layout_iter_next_line(iter));
  pango_layout_iter_free(iter);
  return out;
}

void PageWriter::draw_line(const LineBox& box, double x, double y, double pitch) {
  const double slot = pitch > 0 ? pitch : box.height;
  cairo_move_to(cr_, x + box.x, y + (slot - box.height) / 2 + box.baseline);
  pango_cairo_show_layout_line(cr_, box.line);
}

void PageWriter::flow(PangoLayout* layout, double x, double pitch) {
  for (const LineBox& box : lines(layout)) {
    const double slot = pitch > 0 ? pitch : box.height;
    if (y_ + slot > bottom() && !at_page_top()) new_page();
    draw_line(box, x, y_, pitch);
    y_ += slot;
  }
}

void PageWriter::page_number() {
  // "— N —": the dashes and the number as three runs half a character apart (a space glyph is
  // narrower, and text extraction would run them together).
  constexpr double kSize = 14;  // 四号
  const Style style{.face = Face::kSerif, .size = kSize};
  const std::string dash = "\xE2\x80\x94";
  LayoutPtr parts[3] = {layout(dash, style, kBlockWidth),
                        layout(std::to_string(page_), style, kBlockWidth),
                        layout(dash, style, kBlockWidth)};
  double widths[3];
  double total = kSize;  // the two gaps
  for (int i = 0; i < 3; ++i) {
    PangoRectangle logical;
    pango_layout_get_extents(parts[i].get(), nullptr, &logical);
    widths[i] = points(logical.width);
    total += widths[i];
  }
  // Odd pages on the right, even pages on the left, one character in (GB/T 9704).
  double x = page_ % 2 == 1 ? kLeft + kBlockWidth - kSize - total : kLeft + kSize;
  cairo_set_source_rgb(cr_, 0, 0, 0);
  for (int i = 0; i < 3; ++i) {
    cairo_move_to(cr_, x, bottom() + mm(5));
    pango_cairo_show_layout(cr_, parts[i].get());
    x += widths[i] + kSize / 2;
  }
}

void PageWriter::new_page() {
  page_number();
  cairo_show_page(cr_);
  ++page_;
  y_ = kTop;
}

void PageWriter::finish() {
  page_number();
  cairo_show_page(cr_);
}

}  // namespace liandong::typeset::internal
