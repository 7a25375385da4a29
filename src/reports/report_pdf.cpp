// A4 pages laid out top to bottom: text through pango (shaping, CJK, wrapping), drawn by cairo
// into a PDF whose text pdftotext and screen readers can read. Rendered twice: the first pass
// only counts pages so that every footer can say "n / N".
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "reports/report_document.hpp"

namespace synthgate::reports {
namespace {

constexpr double kPageWidth = 595.28;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 56.0;
constexpr double kFooterHeight = 24.0;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kBottom = kPageHeight - kMargin - kFooterHeight;
constexpr double kCellPadding = 4.0;
constexpr const char* kFamily = "Noto Sans CJK SC";

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

struct LayoutFree {
  void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutFree>;
struct FontFree {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
struct SurfaceFree {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceFree>;
struct CairoFree {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};

struct TextStyle {
  double size = 10;
  bool bold = false;
  double grey = 0.07;  // 0 black .. 1 white
};

constexpr TextStyle kTitle{18, true, 0.0};
constexpr TextStyle kSubtitle{11, false, 0.35};
constexpr TextStyle kHeading{13, true, 0.0};
constexpr TextStyle kBody{10, false, 0.07};
constexpr TextStyle kCell{9, false, 0.07};
constexpr TextStyle kCellHead{9, true, 0.0};
constexpr TextStyle kCaption{8.5, false, 0.35};
constexpr TextStyle kFooter{8, false, 0.4};

struct PngReader {
  const Bytes* png;
  std::size_t at = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* reader = static_cast<PngReader*>(closure);
  if (reader->png->size() - reader->at < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, reader->png->data() + reader->at, length);
  reader->at += length;
  return CAIRO_STATUS_SUCCESS;
}

cairo_status_t write_pdf(void* closure, const unsigned char* data, unsigned int length) {
  if (closure != nullptr)
    static_cast<Bytes*>(closure)->insert(static_cast<Bytes*>(closure)->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

class PageWriter {
 public:
  PageWriter(cairo_t* cr, const std::string& footer, int total_pages)
      : cr_(cr), footer_(footer), total_pages_(total_pages) {
    PangoContext* context = pango_cairo_create_context(cr_);
    // Points, not pixels: the PDF's user unit is the point.
    pango_cairo_context_set_resolution(context, 72.0);
    context_ = context;
  }
  ~PageWriter() { g_object_unref(context_); }
  PageWriter(const PageWriter&) = delete;
  PageWriter& operator=(const PageWriter&) = delete;

  int pages() const { return page_; }

  LayoutPtr layout(std::string_view text, const TextStyle& style, double width) {
    LayoutPtr layout(pango_layout_new(context_));
    std::unique_ptr<PangoFontDescription, FontFree> font(pango_font_description_new());
    pango_font_description_set_family(font.get(), kFamily);
    pango_font_description_set_size(font.get(), static_cast<int>(style.size * PANGO_SCALE));
    pango_font_description_set_weight(font.get(),
                                      style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), font.get());
    if (width > 0) {
      pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
      pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
    return layout;
  }

  static double height_of(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }
  static double width_of(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return static_cast<double>(w) / PANGO_SCALE;
  }

  // Text that may run over pages: drawn line by line.
  void text(std::string_view text, const TextStyle& style, double space_after) {
    LayoutPtr l = layout(text, style, kContentWidth);
    PangoLayoutIter* iter = pango_layout_get_iter(l.get());
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(iter, nullptr, &logical);
      const double line_height = static_cast<double>(logical.height) / PANGO_SCALE;
      const double baseline_in_line =
          static_cast<double>(pango_layout_iter_get_baseline(iter) - logical.y) / PANGO_SCALE;
      ensure_room(line_height);
      cairo_set_source_rgb(cr_, style.grey, style.grey, style.grey);
      cairo_move_to(cr_, kMargin + static_cast<double>(logical.x) / PANGO_SCALE,
                    y_ + baseline_in_line);
      pango_cairo_show_layout_line(cr_, pango_layout_iter_get_line_readonly(iter));
      y_ += line_height;
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    y_ += space_after;
  }

  void heading(std::string_view text) {
    // Keep a heading with at least a few lines of what follows.
    ensure_room(60);
    y_ += 8;
    this->text(text, kHeading, 2);
    cairo_set_source_rgb(cr_, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr_, 0.6);
    cairo_move_to(cr_, kMargin, y_);
    cairo_line_to(cr_, kMargin + kContentWidth, y_);
    cairo_stroke(cr_);
    y_ += 6;
  }

  void table(const std::vector<std::string>& columns,
             const std::vector<std::vector<std::string>>& rows, bool header_row,
             const std::vector<double>& widths) {
    auto draw_row = [&](const std::vector<std::string>& cells, bool head) {
      std::vector<LayoutPtr> layouts;
      double height = 0;
      for (std::size_t i = 0; i < widths.size(); ++i) {
        const std::string cell = i < cells.size() ? cells[i] : std::string();
        layouts.push_back(layout(cell, head ? kCellHead : kCell, widths[i] - 2 * kCellPadding));
        height = std::max(height, height_of(layouts.back().get()));
      }
      height += 2 * kCellPadding;
      const bool moved = ensure_room(height);
      if (moved && header_row && !head) draw_header();
      double x = kMargin;
      for (std::size_t i = 0; i < widths.size(); ++i) {
        if (head) {
          cairo_set_source_rgb(cr_, 0.92, 0.92, 0.92);
          cairo_rectangle(cr_, x, y_, widths[i], height);
          cairo_fill(cr_);
        }
        cairo_set_source_rgb(cr_, 0.7, 0.7, 0.7);
        cairo_set_line_width(cr_, 0.5);
        cairo_rectangle(cr_, x, y_, widths[i], height);
        cairo_stroke(cr_);
        const TextStyle& style = head ? kCellHead : kCell;
        cairo_set_source_rgb(cr_, style.grey, style.grey, style.grey);
        cairo_move_to(cr_, x + kCellPadding, y_ + kCellPadding);
        pango_cairo_show_layout(cr_, layouts[i].get());
        x += widths[i];
      }
      y_ += height;
    };
    draw_header = [&, columns] {
      if (header_row) draw_row(columns, true);
    };
    draw_header();
    for (const auto& row : rows) draw_row(row, false);
    draw_header = [] {};
    y_ += 8;
  }

  // Column widths from each column's natural width: narrow columns keep theirs, the rest
  // share what is left in proportion.
  std::vector<double> column_widths(const std::vector<std::string>& columns,
                                    const std::vector<std::vector<std::string>>& rows) {
    const std::size_t n = std::max<std::size_t>(1, columns.size());
    std::vector<double> natural(n, 24.0);
    auto measure = [&](const std::vector<std::string>& cells, const TextStyle& style) {
      for (std::size_t i = 0; i < n && i < cells.size(); ++i) {
        LayoutPtr l = layout(cells[i], style, 0);
        natural[i] = std::max(natural[i], width_of(l.get()) + 2 * kCellPadding + 1);
      }
    };
    measure(columns, kCellHead);
    for (const auto& row : rows) measure(row, kCell);
    std::vector<double> widths = natural;
    std::vector<bool> fixed(n, false);
    double left = kContentWidth;
    for (bool changed = true; changed;) {
      changed = false;
      std::size_t open = 0;
      for (std::size_t i = 0; i < n; ++i) open += fixed[i] ? 0u : 1u;
      if (open == 0) break;
      const double share = left / static_cast<double>(open);
      for (std::size_t i = 0; i < n; ++i) {
        if (!fixed[i] && natural[i] <= share) {
          fixed[i] = true;
          left -= natural[i];
          changed = true;
        }
      }
    }
    double open_natural = 0;
    for (std::size_t i = 0; i < n; ++i) open_natural += fixed[i] ? 0 : natural[i];
    for (std::size_t i = 0; i < n; ++i) {
      if (!fixed[i]) widths[i] = left * natural[i] / open_natural;
    }
    return widths;
  }

  void fields(const ReportFields& fields) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, value] : fields.entries) rows.push_back({key, value});
    double key_width = 40;
    for (const auto& [key, value] : fields.entries) {
      LayoutPtr l = layout(key, kCellHead, 0);
      key_width = std::max(key_width, width_of(l.get()) + 2 * kCellPadding + 1);
    }
    key_width = std::min(key_width, kContentWidth * 0.4);
    table({}, rows, false, {key_width, kContentWidth - key_width});
  }

  Status image(const ReportImage& image) {
    PngReader reader{&image.png};
    SurfacePtr png(cairo_image_surface_create_from_png_stream(read_png, &reader));
    if (cairo_surface_status(png.get()) != CAIRO_STATUS_SUCCESS) {
      return fail(ErrorCode::kInvalidArgument,
                  "report image \"" + image.caption + "\" is not a readable PNG");
    }
    const double w = cairo_image_surface_get_width(png.get());
    const double h = cairo_image_surface_get_height(png.get());
    double width = std::min(image.width_mm * 72.0 / 25.4, kContentWidth);
    double scale = width / w;
    const double most = kBottom - kMargin - 30;
    if (h * scale > most) scale = most / h;
    ensure_room(h * scale + 20);
    cairo_save(cr_);
    cairo_translate(cr_, kMargin, y_);
    cairo_scale(cr_, scale, scale);
    cairo_set_source_surface(cr_, png.get(), 0, 0);
    cairo_paint(cr_);
    cairo_restore(cr_);
    y_ += h * scale + 3;
    text(image.caption, kCaption, 8);
    return {};
  }

  void begin() { start_page(); }
  void finish() { end_page(); }

 private:
  // Moves to a new page when `height` does not fit; says whether it did.
  bool ensure_room(double height) {
    if (y_ + height <= kBottom || y_ <= kMargin + 0.5) return false;
    end_page();
    cairo_show_page(cr_);
    start_page();
    return true;
  }
  void start_page() {
    ++page_;
    y_ = kMargin;
  }
  void end_page() {
    const std::string number =
        std::to_string(page_) + (total_pages_ > 0 ? " / " + std::to_string(total_pages_) : "");
    const std::string line = footer_.empty() ? number : footer_ + "    " + number;
    LayoutPtr l = layout(line, kFooter, kContentWidth);
    pango_layout_set_alignment(l.get(), PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(cr_, kFooter.grey, kFooter.grey, kFooter.grey);
    cairo_move_to(cr_, kMargin, kPageHeight - kMargin);
    pango_cairo_show_layout(cr_, l.get());
  }

  cairo_t* cr_;
  PangoContext* context_ = nullptr;
  std::string footer_;
  int total_pages_;
  int page_ = 0;
  double y_ = kMargin;
  std::function<void()> draw_header = [] {};
};

// One pass over the document into `out` (nullptr: count pages only).
Result<int> render(const ReportDocument& document, Bytes* out, int total_pages) {
  SurfacePtr surface(cairo_pdf_surface_create_for_stream(write_pdf, out, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::kInternal, "cairo could not start a PDF");
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "SynthGate");
  std::unique_ptr<cairo_t, CairoFree> cr(cairo_create(surface.get()));
  int pages = 0;
  {
    PageWriter writer(cr.get(), document.footer, total_pages);
    writer.begin();
    writer.text(document.title, kTitle, 4);
    if (!document.subtitle.empty()) writer.text(document.subtitle, kSubtitle, 8);
    if (!document.header.entries.empty()) writer.fields(document.header);
    for (const ReportSection& section : document.sections) {
      writer.heading(section.heading);
      for (const ReportBlock& block : section.blocks) {
        Status drawn = std::visit(
            Overloaded{
                [&](const ReportParagraph& p) -> Status {
                  writer.text(p.text, kBody, 6);
                  return {};
                },
                [&](const ReportTable& t) -> Status {
                  writer.table(t.columns, t.rows, true, writer.column_widths(t.columns, t.rows));
                  return {};
                },
                [&](const ReportFields& f) -> Status {
                  writer.fields(f);
                  return {};
                },
                [&](const ReportImage& image) -> Status { return writer.image(image); },
            },
            block);
        if (!drawn) return tl::unexpected(drawn.error());
      }
    }
    writer.finish();
    pages = writer.pages();
  }
  cairo_show_page(cr.get());
  const cairo_status_t drawn = cairo_status(cr.get());
  cr.reset();
  cairo_surface_finish(surface.get());
  if (drawn != CAIRO_STATUS_SUCCESS ||
      cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return fail(ErrorCode::kInternal,
                std::string("cairo could not write the PDF: ") + cairo_status_to_string(drawn));
  }
  return pages;
}

}  // namespace

Result<Bytes> render_pdf(const ReportDocument& document) {
  auto pages = render(document, nullptr, 0);
  if (!pages) return tl::unexpected(pages.error());
  Bytes out;
  auto again = render(document, &out, *pages);
  if (!again) return tl::unexpected(again.error());
  return out;
}

}  // namespace synthgate::reports
