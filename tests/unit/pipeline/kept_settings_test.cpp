// Labelling keeps the source's quality settings (issue 4): a JPEG's quality and subsampling,
// a WebP's lossless or lossy compression, reported in the outcome's "kept".
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/file_io.hpp"
#include "core/ids.hpp"
#include "media/animated_webp.hpp"
#include "media/image_codec.hpp"
#include "media/jpeg_quality.hpp"
#include "pipeline/content_labeller.hpp"
#include "support/temp_dir.hpp"

namespace synthgate::pipeline {
namespace {

// A photo-like picture: smooth shapes and some grain, so that quality changes the size.
cv::Mat picture() {
  cv::Mat m(480, 640, CV_8UC3);
  for (int y = 0; y < m.rows; ++y) {
    for (int x = 0; x < m.cols; ++x) {
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<std::uint8_t>(x * 255 / 640),
                                        static_cast<std::uint8_t>(y * 255 / 480),
                                        static_cast<std::uint8_t>((x + y) % 256));
    }
  }
  cv::circle(m, {320, 240}, 120, cv::Scalar(30, 200, 90), -1);
  cv::Mat grain(m.size(), CV_8UC3);
  cv::RNG rng(5);
  rng.fill(grain, cv::RNG::NORMAL, 0, 12);
  cv::add(m, grain, m);
  return m;
}

LabelPlan visible_only() {
  LabelPlan plan;
  plan.watermark = false;
  plan.metadata = false;
  return plan;
}

TEST(KeptSettings, JpegKeepsItsQualityAndSubsampling) {
  testing::TempDir dir;
  auto source = media::encode_image(picture(), media::ImageFormat::kJpeg, 60);
  ASSERT_TRUE(source);
  ASSERT_TRUE(write_file_atomically(dir / "in.jpg", *source));
  const ContentId id = *ContentId::parse("01m8j88qpveh9ve37z6he0sxgg");
  auto outcome = label_file(dir / "in.jpg", dir / "out.jpg", id, visible_only(), {});
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->kept["quality"], 60);
  EXPECT_EQ(outcome->kept["subsampling"], "4:2:0");
  auto out = read_file(dir / "out.jpg");
  ASSERT_TRUE(out);
  auto settings = media::read_jpeg_settings(*out);
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_NEAR(settings->quality, 60, 2);
  EXPECT_EQ(settings->subsampling, "4:2:0");
  // What the fixed quality 95 used to give, for the same labelled pixels.
  auto decoded = media::decode_image(*out);
  ASSERT_TRUE(decoded);
  auto at95 = media::encode_image(decoded->pixels, media::ImageFormat::kJpeg);
  ASSERT_TRUE(at95);
  EXPECT_LT(out->size() * 2, at95->size()) << out->size() << " vs " << at95->size();
}

TEST(KeptSettings, JpegQualityIsClampedAndFullChromaKept) {
  testing::TempDir dir;
  media::JpegSettings low;
  low.quality = 20;
  low.luma_h = 1;
  low.luma_v = 1;
  auto source = media::encode_jpeg(picture(), low);
  ASSERT_TRUE(source);
  ASSERT_TRUE(write_file_atomically(dir / "in.jpg", *source));
  const ContentId id = *ContentId::parse("01m8j88qpveh9ve37z6he0sxgg");
  auto outcome = label_file(dir / "in.jpg", dir / "out.jpg", id, visible_only(), {});
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->kept["estimated_quality"], 20);
  EXPECT_EQ(outcome->kept["quality"], 50);
  auto out = read_file(dir / "out.jpg");
  ASSERT_TRUE(out);
  auto settings = media::read_jpeg_settings(*out);
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->quality, 50);
  EXPECT_EQ(settings->subsampling, "4:4:4");
}

TEST(KeptSettings, WebpKeepsLossyOrLossless) {
  testing::TempDir dir;
  const ContentId id = *ContentId::parse("01m8j88qpveh9ve37z6he0sxgg");
  for (const int quality : {70, -1}) {  // lossy, lossless
    auto source = media::encode_image(picture(), media::ImageFormat::kWebp, quality);
    ASSERT_TRUE(source);
    ASSERT_TRUE(write_file_atomically(dir / "in.webp", *source));
    auto outcome = label_file(dir / "in.webp", dir / "out.webp", id, visible_only(), {});
    ASSERT_TRUE(outcome) << outcome.error().message;
    auto out = read_file(dir / "out.webp");
    ASSERT_TRUE(out);
    const bool lossless = quality < 0;
    EXPECT_EQ(media::webp_is_lossless(*out).value_or(!lossless), lossless);
    EXPECT_EQ(outcome->kept["encoding"], lossless ? "lossless" : "lossy");
  }
}

}  // namespace
}  // namespace synthgate::pipeline
