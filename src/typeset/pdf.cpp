// render_pdf: the document block by block through a PageWriter onto a Cairo PDF surface, under
// the process-wide lock on Pango's font map.
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <mutex>
#include <string>

#include "typeset/document.h"
#include "typeset/internal/page_writer.h"
#include "typeset/internal/table_writer.h"

namespace liandong::typeset {
namespace {

using internal::Face;
using internal::kBlockWidth;
using internal::kLeft;
using internal::PageWriter;
using internal::Style;

constexpr double kRed[3] = {0.902, 0.0, 0.071};  // #E60012, the red of red-headed documents
constexpr double kBodySize = 16;                 // 三号
constexpr double kBodyPitch = internal::kBlockHeight / 22;  // 22 lines to the page

// One font map for the process, made on first use and kept (Pango's font maps cache fonts and
// are not safe to share between threads without a lock): the mutex is held for each rendering.
std::mutex font_map_mutex;
PangoFontMap* font_map() {
  static PangoFontMap* map = pango_cairo_font_map_new();
  return map;
}

struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Whether fontconfig gives the face a font that has Chinese glyphs (it substitutes silently
// otherwise, and the PDF would show empty boxes).
core::Status check_font(PangoContext* context, const char* family, PangoWeight weight) {
  PangoFontDescription* description = pango_font_description_new();
  pango_font_description_set_family(description, family);
  pango_font_description_set_weight(description, weight);
  pango_font_description_set_absolute_size(description, kBodySize * PANGO_SCALE);
  PangoFont* font = pango_context_load_font(context, description);
  pango_font_description_free(description);
  bool covered = false;
  if (font != nullptr) {
    PangoCoverage* coverage = pango_font_get_coverage(font, pango_language_from_string("zh-cn"));
    covered = coverage != nullptr && pango_coverage_get(coverage, 0x4E2D) == PANGO_COVERAGE_EXACT &&
              pango_coverage_get(coverage, 0x62A5) == PANGO_COVERAGE_EXACT;  // 中, 报
    if (coverage != nullptr) g_object_unref(coverage);
    g_object_unref(font);
  }
  if (!covered) {
    return core::unavailable(std::string("no font with Chinese glyphs found for \"") + family +
                             "\" (fontconfig); install fonts-noto-cjk");
  }
  return core::Status::ok();
}

core::Status cairo_failure(cairo_status_t status, const char* what) {
  return core::internal_error(std::string("PDF rendering failed (") + what +
                              "): " + cairo_status_to_string(status));
}

void write_heading_block(PageWriter& w, const Document& doc) {
  cairo_t* cr = w.cr();
  if (!doc.classification.empty()) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    auto layout = w.layout(doc.classification, Style{.face = Face::kSans, .size = kBodySize},
                           kBlockWidth);
    w.flow(layout.get(), kLeft, kBodyPitch);
  }
  const bool has_meta = !doc.number.empty() || !doc.date.empty();
  if (!doc.issuer.empty()) {
    w.advance(kBodyPitch / 2);
    cairo_set_source_rgb(cr, kRed[0], kRed[1], kRed[2]);
    auto layout = w.layout(
        doc.issuer, Style{.face = Face::kSerifBold, .size = 30, .align = PANGO_ALIGN_CENTER},
        kBlockWidth);
    w.flow(layout.get(), kLeft);
    w.advance(kBodyPitch / 3);
  }
  if (has_meta) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    // The number on the left, the date on the right, on one line when they fit side by side.
    auto number = w.layout(doc.number, Style{.size = kBodySize}, kBlockWidth / 2 - 8);
    auto date = w.layout(doc.date, Style{.size = kBodySize, .align = PANGO_ALIGN_RIGHT},
                         kBlockWidth / 2 - 8);
    const double top = w.y();
    w.flow(number.get(), kLeft, kBodyPitch);
    const double after_number = w.y();
    w.set_y(top);
    w.flow(date.get(), kLeft + kBlockWidth / 2 + 8, kBodyPitch);
    if (w.y() < after_number) w.set_y(after_number);
  }
  if (!doc.issuer.empty() || has_meta) {
    w.advance(4);
    cairo_set_source_rgb(cr, kRed[0], kRed[1], kRed[2]);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, kLeft, w.y());
    cairo_line_to(cr, kLeft + kBlockWidth, w.y());
    cairo_stroke(cr);
    w.advance(kBodyPitch / 2);
  }
  if (!doc.title.empty()) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    auto layout = w.layout(
        doc.title, Style{.face = Face::kSerifBold, .size = 22, .align = PANGO_ALIGN_CENTER},
        kBlockWidth);
    w.flow(layout.get(), kLeft, 22 * 1.6);
    w.advance(kBodyPitch / 2);
  }
}

void write_paragraph(PageWriter& w, const std::string& text) {
  // '\n' is a line break inside the paragraph: only the first line is indented.
  std::size_t from = 0;
  bool first = true;
  while (true) {
    const std::size_t end = text.find('\n', from);
    const std::string_view piece =
        std::string_view(text).substr(from, end == std::string::npos ? end : end - from);
    auto layout = w.layout(piece,
                           Style{.size = kBodySize, .justify = true,
                                 .indent = first ? 2 * kBodySize : 0},
                           kBlockWidth);
    w.flow(layout.get(), kLeft, kBodyPitch);
    if (end == std::string::npos) break;
    from = end + 1;
    first = false;
  }
}

void write_body(PageWriter& w, const Document& doc) {
  cairo_t* cr = w.cr();
  for (const Section& section : doc.sections) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    if (!section.heading.empty()) {
      auto layout = w.layout(section.heading,
                             Style{.face = Face::kSansBold, .size = kBodySize, .indent = 2 * kBodySize},
                             kBlockWidth);
      // A heading is not left alone at the foot of a page.
      if (w.room() < 2 * kBodyPitch) w.new_page();
      w.flow(layout.get(), kLeft, kBodyPitch);
    }
    for (const std::string& paragraph : section.paragraphs) write_paragraph(w, paragraph);
    if (section.table) {
      w.advance(kBodyPitch / 4);
      internal::write_table(w, *section.table);
      w.advance(kBodyPitch / 2);
    }
  }
  if (!doc.closing.empty()) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    w.advance(kBodyPitch);
    for (const std::string& line : doc.closing) {
      auto layout = w.layout(line, Style{.size = kBodySize, .align = PANGO_ALIGN_RIGHT},
                             kBlockWidth - 2 * kBodySize);
      w.flow(layout.get(), kLeft, kBodyPitch);
    }
  }
  if (!doc.distribution.empty()) {
    // The distribution line (版记) sits at the foot of the last page between two thin rules.
    auto layout = w.layout(doc.distribution, Style{.size = 14}, kBlockWidth - 2 * 14);
    const auto lines = PageWriter::lines(layout.get());
    const double height = static_cast<double>(lines.size()) * 14 * 1.8 + 8;
    if (height > w.room()) w.new_page();
    if (height <= w.room()) w.set_y(w.bottom() - height);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.75);
    cairo_move_to(cr, kLeft, w.y());
    cairo_line_to(cr, kLeft + kBlockWidth, w.y());
    cairo_stroke(cr);
    w.advance(4);
    w.flow(layout.get(), kLeft + 14, 14 * 1.8);
    w.advance(4);
    cairo_move_to(cr, kLeft, w.y());
    cairo_line_to(cr, kLeft + kBlockWidth, w.y());
    cairo_stroke(cr);
  }
}

}  // namespace

core::Result<std::string> render_pdf(const Document& doc) {
  LD_RETURN_IF_ERROR(check(doc));
  std::lock_guard<std::mutex> lock(font_map_mutex);

  std::string out;
  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(cairo_pdf_surface_create_for_stream(
      append_bytes, &out, internal::kPageWidth, internal::kPageHeight));
  if (const cairo_status_t s = cairo_surface_status(surface.get()); s != CAIRO_STATUS_SUCCESS) {
    return cairo_failure(s, "creating the PDF surface");
  }
  const std::string title = doc.title.empty() ? doc.issuer : doc.title;
  if (!title.empty()) {
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                   internal::clean_text(title).c_str());
  }
  if (!doc.issuer.empty()) {
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR,
                                   internal::clean_text(doc.issuer).c_str());
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Liandong");
  std::unique_ptr<cairo_t, CairoDestroy> cr(cairo_create(surface.get()));

  std::unique_ptr<PangoContext, internal::GObjectUnref> context(
      pango_font_map_create_context(font_map()));
  pango_cairo_update_context(cr.get(), context.get());
  pango_context_set_language(context.get(), pango_language_from_string("zh-cn"));
  LD_RETURN_IF_ERROR(check_font(context.get(), "Noto Serif CJK SC", PANGO_WEIGHT_NORMAL));
  LD_RETURN_IF_ERROR(check_font(context.get(), "Noto Sans CJK SC", PANGO_WEIGHT_BOLD));

  PageWriter writer(cr.get(), context.get());
  write_heading_block(writer, doc);
  write_body(writer, doc);
  writer.finish();

  if (const cairo_status_t s = cairo_status(cr.get()); s != CAIRO_STATUS_SUCCESS) {
    return cairo_failure(s, "drawing");
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (const cairo_status_t s = cairo_surface_status(surface.get()); s != CAIRO_STATUS_SUCCESS) {
    return cairo_failure(s, "writing the PDF");
  }
  surface.reset();
  return out;
}

}  // namespace liandong::typeset
