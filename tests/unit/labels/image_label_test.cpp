#include "labels/image_label.hpp"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <random>

namespace synthgate::labels {
namespace {

const LabelFont& font() {
  static const LabelFont loaded = [] {
    auto f = LabelFont::load();
    if (!f) ADD_FAILURE() << f.error().message;
    return std::move(*f);
  }();
  return loaded;
}

cv::Mat busy(cv::Size size, int type) {
  cv::Mat m(size, type);
  cv::RNG rng(7);
  rng.fill(m, cv::RNG::UNIFORM, 0, type == CV_16UC1 || type == CV_16UC3 ? 65535 : 255);
  return m;
}

// The rows and columns where two images differ.
cv::Rect changed_area(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  cv::Mat flat = diff.reshape(1, diff.rows);
  std::vector<cv::Point> points;
  cv::findNonZero(flat != 0, points);
  if (points.empty()) return {};
  cv::Rect r = cv::boundingRect(points);
  const int ch = a.channels();
  return {r.x / ch, r.y, (r.x + r.width + ch - 1) / ch - r.x / ch, r.height};
}

struct SizeCase {
  int width;
  int height;
};

class LabelSizes : public ::testing::TestWithParam<SizeCase> {};

TEST_P(LabelSizes, TextHeightIsAtLeastFivePercentOfTheShortestSide) {
  const auto [w, h] = GetParam();
  const cv::Mat image(h, w, CV_8UC3, cv::Scalar(200, 180, 160));
  auto labelled = label_image(image, font(), {});
  ASSERT_TRUE(labelled) << labelled.error().message;
  const int shortest = std::min(w, h);
  // The ink box as measured in the output, not as the labeller claims it.
  const cv::Rect changed = changed_area(image, labelled->pixels);
  EXPECT_GE(changed.height * 100, 5 * shortest) << w << "x" << h;
  EXPECT_GE(labelled->text_box.height * 100, 5 * shortest);
  EXPECT_TRUE((changed & labelled->text_box) == changed || labelled->style != LabelStyle::kFill);
  // Bottom-right corner: the change sits in the right and bottom part of the image.
  EXPECT_GT(changed.x, w / 2);
  EXPECT_GT(changed.y, h / 2);
  EXPECT_LE(changed.x + changed.width, w);
  EXPECT_LE(changed.y + changed.height, h);
}

INSTANTIATE_TEST_SUITE_P(Sizes, LabelSizes,
                         ::testing::Values(SizeCase{64, 48}, SizeCase{320, 240},
                                           SizeCase{1920, 1080}, SizeCase{1080, 1920},
                                           SizeCase{100, 2000}, SizeCase{7680, 4320}));

TEST(ImageLabel, PositionsAreEdgesAndCorners) {
  const cv::Mat image(400, 600, CV_8UC3, cv::Scalar(30, 30, 30));
  for (const char* name :
       {"top-left", "top-right", "bottom-left", "bottom-right", "top", "bottom"}) {
    auto position = parse_image_position(name);
    ASSERT_TRUE(position);
    ImageLabelOptions options;
    options.position = *position;
    auto labelled = label_image(image, font(), options);
    ASSERT_TRUE(labelled);
    const cv::Rect box = labelled->text_box;
    const bool top = std::string_view(name).rfind("top", 0) == 0;
    EXPECT_EQ(top, box.y < 200) << name;
    if (std::string_view(name).find("left") != std::string_view::npos) {
      EXPECT_LT(box.x, 100);
    }
    if (std::string_view(name).find("right") != std::string_view::npos) {
      EXPECT_GT(box.x + box.width, 500);
    }
  }
  EXPECT_FALSE(parse_image_position("middle"));
}

TEST(ImageLabel, InkContrastsWithFlatBackgrounds) {
  for (const int level : {0, 60, 128, 200, 255}) {
    const cv::Mat image(300, 400, CV_8UC1, cv::Scalar(level));
    auto labelled = label_image(image, font(), {});
    ASSERT_TRUE(labelled);
    EXPECT_EQ(labelled->style, LabelStyle::kFill);
    double lo = 0;
    double hi = 0;
    cv::minMaxLoc(labelled->pixels(labelled->text_box), &lo, &hi);
    // The strongest ink differs from the background by at least half the range.
    EXPECT_GE(std::max(std::abs(hi - level), std::abs(lo - level)), 127.0) << level;
  }
}

TEST(ImageLabel, BusyBackgroundGetsAPlate) {
  const cv::Mat image = busy({640, 480}, CV_8UC3);
  auto labelled = label_image(image, font(), {});
  ASSERT_TRUE(labelled);
  EXPECT_EQ(labelled->style, LabelStyle::kPlate);
  cv::Mat grey;
  cv::cvtColor(labelled->pixels(labelled->text_box), grey, cv::COLOR_BGR2GRAY);
  double lo = 0;
  double hi = 0;
  cv::minMaxLoc(grey, &lo, &hi);
  EXPECT_LE(lo, 0.35 * 255 + 1);  // the plate darkens the noise
  EXPECT_GE(hi, 250);             // white ink
}

TEST(ImageLabel, OnlyTheLabelAreaChanges) {
  const cv::Mat image = busy({500, 500}, CV_8UC3);
  auto labelled = label_image(image, font(), {});
  ASSERT_TRUE(labelled);
  const cv::Rect changed = changed_area(image, labelled->pixels);
  EXPECT_LT(changed.area(), image.total() / 10);
  EXPECT_FALSE(changed.empty());
}

TEST(ImageLabel, AlphaAndSixteenBitKeepTheirLayout) {
  cv::Mat transparent(200, 300, CV_8UC4, cv::Scalar(0, 0, 0, 0));
  auto labelled = label_image(transparent, font(), {});
  ASSERT_TRUE(labelled);
  EXPECT_EQ(labelled->pixels.type(), CV_8UC4);
  EXPECT_EQ(labelled->style, LabelStyle::kPlate);
  cv::Mat alpha;
  cv::extractChannel(labelled->pixels(labelled->text_box), alpha, 3);
  double hi = 0;
  cv::minMaxLoc(alpha, nullptr, &hi);
  EXPECT_EQ(hi, 255.0);  // the ink is opaque where the image was transparent

  const cv::Mat deep(240, 320, CV_16UC3, cv::Scalar(60000, 60000, 60000));
  auto labelled16 = label_image(deep, font(), {});
  ASSERT_TRUE(labelled16);
  EXPECT_EQ(labelled16->pixels.type(), CV_16UC3);
  double lo = 0;
  cv::minMaxLoc(labelled16->pixels(labelled16->text_box).reshape(1), &lo);
  EXPECT_LT(lo, 1000.0);  // black ink at 16-bit scale
}

TEST(ImageLabel, RefusesWhatCannotConform) {
  const cv::Mat image(300, 300, CV_8UC3, cv::Scalar(0));
  ImageLabelOptions small;
  small.height_fraction = 0.04;
  EXPECT_FALSE(label_image(image, font(), small));
  ImageLabelOptions wording;
  wording.wording = "生成";
  EXPECT_FALSE(label_image(image, font(), wording));
  ImageLabelOptions too_long;
  too_long.wording = "本图片由人工智能生成，仅供参考，请勿用于任何商业用途或者冒充真实照片";
  too_long.height_fraction = 0.2;
  EXPECT_FALSE(label_image(image, font(), too_long));
}

TEST(ImageLabel, PreparedLabelRefusesAnotherFrameSize) {
  auto label = prepare_label(font(), {}, {640, 480});
  ASSERT_TRUE(label);
  cv::Mat small(100, 100, CV_8UC3, cv::Scalar(0));
  EXPECT_FALSE(apply_label(small, *label));
}

}  // namespace
}  // namespace synthgate::labels
