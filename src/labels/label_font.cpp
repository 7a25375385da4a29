#include "labels/label_font.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-ft.h>
#include <hb.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace synthgate::labels {

struct LabelFont::Faces {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  hb_font_t* font = nullptr;
  ~Faces() {
    if (font) hb_font_destroy(font);
    if (face) FT_Done_Face(face);
    if (library) FT_Done_FreeType(library);
  }
};

LabelFont::LabelFont(std::unique_ptr<Faces> faces) : faces_(std::move(faces)) {}
LabelFont::LabelFont(LabelFont&&) noexcept = default;
LabelFont& LabelFont::operator=(LabelFont&&) noexcept = default;
LabelFont::~LabelFont() = default;

Result<LabelFont> LabelFont::load(const std::string& path, int face_index) {
  auto faces = std::make_unique<Faces>();
  if (FT_Init_FreeType(&faces->library) != 0) {
    return fail(ErrorCode::kInternal, "cannot start FreeType");
  }
  if (FT_New_Face(faces->library, path.c_str(), face_index, &faces->face) != 0) {
    return fail(ErrorCode::kNotFound, "cannot open font " + path + " face " +
                                          std::to_string(face_index) +
                                          " (Debian package fonts-noto-cjk)");
  }
  return LabelFont(std::move(faces));
}

Result<cv::Mat> LabelFont::render_at(std::string_view utf8_text, int pixel_size) const {
  FT_Face face = faces_->face;
  if (FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(pixel_size)) != 0) {
    return fail(ErrorCode::kInternal, "cannot size the font");
  }
  if (faces_->font) hb_font_destroy(faces_->font);
  faces_->font = hb_ft_font_create_referenced(face);

  std::unique_ptr<hb_buffer_t, decltype(&hb_buffer_destroy)> buffer(hb_buffer_create(),
                                                                    &hb_buffer_destroy);
  hb_buffer_add_utf8(buffer.get(), utf8_text.data(), static_cast<int>(utf8_text.size()), 0,
                     static_cast<int>(utf8_text.size()));
  hb_buffer_guess_segment_properties(buffer.get());
  hb_shape(faces_->font, buffer.get(), nullptr, 0);
  unsigned count = 0;
  const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer.get(), &count);
  const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer.get(), &count);
  if (count == 0) return fail(ErrorCode::kInvalidArgument, "label text is empty");

  const int ascender = static_cast<int>(face->size->metrics.ascender >> 6);
  const int descender = static_cast<int>(-(face->size->metrics.descender >> 6));
  long advance = 0;
  for (unsigned i = 0; i < count; ++i) advance += positions[i].x_advance;
  const int margin = pixel_size / 2 + 2;
  const int width = static_cast<int>(advance >> 6) + 2 * margin;
  const int height = ascender + descender + 2 * margin;
  cv::Mat canvas(height, width, CV_8UC1, cv::Scalar(0));

  long pen_x = static_cast<long>(margin) << 6;
  const long baseline = margin + ascender;
  for (unsigned i = 0; i < count; ++i) {
    if (infos[i].codepoint == 0) {
      return fail(ErrorCode::kInvalidArgument, "the font has no glyph for part of the label");
    }
    if (FT_Load_Glyph(face, infos[i].codepoint, FT_LOAD_RENDER) != 0) {
      return fail(ErrorCode::kInternal, "cannot render a glyph");
    }
    const FT_GlyphSlot slot = face->glyph;
    const FT_Bitmap& bitmap = slot->bitmap;
    const long x0 = ((pen_x + positions[i].x_offset) >> 6) + slot->bitmap_left;
    const long y0 = baseline - ((positions[i].y_offset) >> 6) - slot->bitmap_top;
    for (unsigned row = 0; row < bitmap.rows; ++row) {
      const long y = y0 + static_cast<long>(row);
      if (y < 0 || y >= height) continue;
      const unsigned char* src = bitmap.buffer + static_cast<long>(row) * bitmap.pitch;
      auto* dst = canvas.ptr<std::uint8_t>(static_cast<int>(y));
      for (unsigned col = 0; col < bitmap.width; ++col) {
        const long x = x0 + static_cast<long>(col);
        if (x < 0 || x >= width) continue;
        dst[x] = std::max(dst[x], src[col]);
      }
    }
    pen_x += positions[i].x_advance;
  }
  std::vector<cv::Point> ink;
  cv::findNonZero(canvas > 0, ink);
  if (ink.empty()) return fail(ErrorCode::kInvalidArgument, "label text draws nothing");
  return canvas(cv::boundingRect(ink)).clone();
}

Result<cv::Mat> LabelFont::render(std::string_view utf8_text, int ink_height) const {
  ink_height = std::max(ink_height, 1);
  int size = ink_height;
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto mask = render_at(utf8_text, size);
    if (!mask) return mask;
    if (mask->rows >= ink_height) return mask;
    // Ink is shorter than the em: scale the size by the shortfall and try again.
    const double ratio = static_cast<double>(ink_height) / std::max(mask->rows, 1);
    size = std::max(size + 1, static_cast<int>(std::ceil(size * ratio)));
  }
  return render_at(utf8_text, size + ink_height);
}

}  // namespace synthgate::labels
