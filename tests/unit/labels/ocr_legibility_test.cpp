// An independent reader proves the label legible: Tesseract (chi_sim) must read "AI生成" in
// labelled images over light, dark, busy, flat and photographic backgrounds at several sizes.
// The window read is the label's corner (see below), not the exact text box.
// Tesseract reads the Latin "I" of the label as "l" next to CJK, so the comparison folds
// l/|/1 to I and drops spaces before looking for the label.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "labels/image_label.hpp"
#include "support/natural_photos.hpp"
#include "support/temp_dir.hpp"

namespace synthgate::labels {
namespace {

std::string run_tesseract(const std::filesystem::path& image, int page_mode) {
  const std::string command = "tesseract '" + image.string() + "' - -l chi_sim --psm " +
                              std::to_string(page_mode) + " 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
  if (!pipe) return "";
  std::string text;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0)
    text.append(buffer.data(), n);
  return text;
}

std::string normalise(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') continue;
    out += (c == 'l' || c == '|' || c == '1') ? 'I' : c;
  }
  return out;
}

cv::Mat background(const std::string& kind, cv::Size size) {
  if (kind == "light") return cv::Mat(size, CV_8UC3, cv::Scalar(235, 240, 245));
  if (kind == "dark") return cv::Mat(size, CV_8UC3, cv::Scalar(20, 25, 30));
  if (kind == "mid-grey") return cv::Mat(size, CV_8UC3, cv::Scalar(128, 128, 128));
  if (kind == "noise") {
    cv::Mat m(size, CV_8UC3);
    cv::RNG rng(11);
    rng.fill(m, cv::RNG::UNIFORM, 0, 255);
    return m;
  }
  if (kind == "stripes") {
    cv::Mat m(size, CV_8UC3, cv::Scalar(255, 255, 255));
    for (int x = 0; x < size.width; x += 6) {
      cv::line(m, {x, 0}, {x, size.height}, cv::Scalar(0, 0, 0), 2);
    }
    return m;
  }
  return testing::load_natural_photo(SYNTHGATE_TESTDATA_DIR, testing::natural_photo_paths().at(3),
                                     size);
}

struct OcrCase {
  std::string background;
  int width;
  int height;
};

class OcrLegibility : public ::testing::TestWithParam<OcrCase> {};

TEST_P(OcrLegibility, TesseractReadsTheLabel) {
  static const auto font = LabelFont::load();
  ASSERT_TRUE(font) << font.error().message;
  const OcrCase c = GetParam();
  auto labelled = label_image(background(c.background, {c.width, c.height}), *font, {});
  ASSERT_TRUE(labelled) << labelled.error().message;
  const testing::TempDir dir;
  // Tesseract's page layout analysis gives up on a whole frame of noise, so it reads the
  // label's corner: twice the text box's width and three times its height, background
  // included, as one block of text (--psm 6) and, when that misses, as sparse text (--psm 11):
  // on pure noise one mode or the other loses the line in its binarisation.
  const cv::Rect box = labelled->text_box;
  const cv::Rect corner =
      cv::Rect(box.x - box.width, box.y - 2 * box.height, 2 * box.width, 3 * box.height) &
      cv::Rect(0, 0, c.width, c.height);
  const auto path = dir.path() / "labelled.png";
  ASSERT_TRUE(cv::imwrite(path.string(), labelled->pixels(corner)));
  std::string read = run_tesseract(path, 6);
  if (normalise(read).find("AI生成") == std::string::npos) read += run_tesseract(path, 11);
  EXPECT_NE(normalise(read).find("AI生成"), std::string::npos)
      << c.background << " " << c.width << "x" << c.height << " style "
      << label_style_name(labelled->style) << ": tesseract read \"" << read << "\"";
}

INSTANTIATE_TEST_SUITE_P(Backgrounds, OcrLegibility,
                         ::testing::Values(OcrCase{"light", 640, 480}, OcrCase{"dark", 640, 480},
                                           OcrCase{"mid-grey", 480, 640},
                                           OcrCase{"noise", 640, 480}, OcrCase{"stripes", 800, 600},
                                           OcrCase{"photo", 640, 480}, OcrCase{"light", 1280, 720},
                                           OcrCase{"noise", 1920, 1080},
                                           OcrCase{"photo", 1024, 1024}, OcrCase{"dark", 400, 300}),
                         [](const ::testing::TestParamInfo<OcrCase>& param_info) {
                           std::string name = param_info.param.background + "_" +
                                              std::to_string(param_info.param.width) + "x" +
                                              std::to_string(param_info.param.height);
                           for (char& ch : name) {
                             if (ch == '-') ch = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace synthgate::labels
