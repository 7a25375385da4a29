#include "media/jpeg_quality.hpp"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include <string>

#include "media/image_codec.hpp"

namespace synthgate::media {
namespace {

cv::Mat noisy(cv::Size size) {
  cv::Mat m(size, CV_8UC3);
  cv::RNG rng(11);
  rng.fill(m, cv::RNG::NORMAL, 128, 40);
  return m;
}

struct Written {
  int quality;
  int h;
  int v;
  const char* name;
};

class JpegSettingsRoundTrip : public ::testing::TestWithParam<Written> {};

TEST_P(JpegSettingsRoundTrip, ReadsBackTheQualityAndSubsamplingItWasWrittenWith) {
  const auto [quality, h, v, name] = GetParam();
  JpegSettings settings;
  settings.quality = quality;
  settings.luma_h = h;
  settings.luma_v = v;
  auto bytes = encode_jpeg(noisy({64, 48}), settings);
  ASSERT_TRUE(bytes) << bytes.error().message;
  auto read = read_jpeg_settings(*bytes);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->quality, quality);
  EXPECT_TRUE(read->exact_table);
  EXPECT_EQ(read->subsampling, name);
  EXPECT_EQ(read->luma_h, h);
  EXPECT_EQ(read->luma_v, v);
}

INSTANTIATE_TEST_SUITE_P(Settings, JpegSettingsRoundTrip,
                         ::testing::Values(Written{10, 2, 2, "4:2:0"}, Written{50, 1, 1, "4:4:4"},
                                           Written{60, 2, 2, "4:2:0"}, Written{75, 2, 1, "4:2:2"},
                                           Written{90, 1, 2, "4:4:0"}, Written{98, 1, 1, "4:4:4"}));

TEST(JpegSettings, OpenCvQualityIsReadBackToo) {
  const cv::Mat pixels = noisy({64, 48});
  for (const int q : {40, 60, 85, 95}) {
    auto bytes = encode_image(pixels, ImageFormat::kJpeg, q);
    ASSERT_TRUE(bytes);
    auto read = read_jpeg_settings(*bytes);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->quality, q);
    EXPECT_EQ(read->subsampling, "4:2:0");  // libjpeg's default for colour
  }
  cv::Mat grey(48, 64, CV_8UC1, cv::Scalar(90));
  auto bytes = encode_image(grey, ImageFormat::kJpeg, 70);
  ASSERT_TRUE(bytes);
  auto read = read_jpeg_settings(*bytes);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->subsampling, "grey");
  EXPECT_EQ(read->quality, 70);
}

TEST(JpegSettings, RefusesWhatIsNotAJpegAndBadSettings) {
  auto png = encode_image(noisy({8, 8}), ImageFormat::kPng);
  ASSERT_TRUE(png);
  EXPECT_FALSE(read_jpeg_settings(*png));
  JpegSettings bad;
  bad.quality = 0;
  EXPECT_FALSE(encode_jpeg(noisy({8, 8}), bad));
}

}  // namespace
}  // namespace synthgate::media
