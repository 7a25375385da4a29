#pragma once

#include <opencv2/core/mat.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace synthgate::labels {

// Noto Sans CJK from Debian's fonts-noto-cjk; face 2 of the collection is Simplified Chinese.
inline constexpr std::string_view kDefaultFontPath =
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
inline constexpr int kDefaultFontFace = 2;

// A font that shapes text with HarfBuzz and draws it with FreeType. One per thread: FreeType
// faces are not shared between threads.
class LabelFont {
 public:
  static Result<LabelFont> load(const std::string& path = std::string(kDefaultFontPath),
                                int face_index = kDefaultFontFace);
  LabelFont(LabelFont&&) noexcept;
  LabelFont& operator=(LabelFont&&) noexcept;
  ~LabelFont();

  // The text as an 8-bit coverage mask (255 = ink), cropped to its ink, whose height is at
  // least `ink_height` pixels. Missing glyphs are refused.
  Result<cv::Mat> render(std::string_view utf8_text, int ink_height) const;

 private:
  struct Faces;
  explicit LabelFont(std::unique_ptr<Faces> faces);
  Result<cv::Mat> render_at(std::string_view utf8_text, int pixel_size) const;
  std::unique_ptr<Faces> faces_;
};

}  // namespace synthgate::labels
