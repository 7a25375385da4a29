#include "watermark/image_watermark.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "photo_fixture.hpp"

namespace synthgate::watermark {
namespace {

SecretBytes key_of(std::uint8_t fill) {
  return SecretBytes(std::vector<std::uint8_t>(32, fill));
}

class ImageWatermark : public testing::PhotoTest {};

TEST_F(ImageWatermark, RoundTripAtEverySizeWithPsnrAbove40) {
  const auto key = key_of(7);
  for (const cv::Size size : {cv::Size(512, 512), cv::Size(1280, 720), cv::Size(1920, 1080)}) {
    for (std::size_t i = 0; i < testing::natural_photo_paths().size(); ++i) {
      const cv::Mat original = photo(i, size);
      const std::uint64_t payload = 0x1000 + i;
      auto marked = embed_image_watermark(original, payload, key);
      ASSERT_TRUE(marked) << marked.error().message;
      EXPECT_EQ(marked->size(), original.size());
      EXPECT_GE(cv::PSNR(original, *marked), 40.0) << testing::natural_photo_paths()[i] << size;
      auto reading = read_image_watermark(*marked, key);
      ASSERT_TRUE(reading);
      EXPECT_TRUE(reading->found) << testing::natural_photo_paths()[i] << size;
      EXPECT_EQ(reading->payload, payload);
      EXPECT_GT(reading->confidence, 0.5);
      EXPECT_GE(reading->bit_errors, 0);
    }
  }
}

TEST_F(ImageWatermark, WrongKeyAndUnmarkedReadAsNotFound) {
  const cv::Mat original = photo(0, {1280, 720});
  auto marked = embed_image_watermark(original, 99, key_of(1));
  ASSERT_TRUE(marked);
  auto wrong = read_image_watermark(*marked, key_of(2));
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(wrong->found);
  EXPECT_EQ(wrong->payload, 0U);
  EXPECT_EQ(wrong->confidence, 0.0);
  auto unmarked = read_image_watermark(original, key_of(1));
  ASSERT_TRUE(unmarked);
  EXPECT_FALSE(unmarked->found);
}

TEST_F(ImageWatermark, GreyAndAlphaImages) {
  const auto key = key_of(3);
  cv::Mat grey;
  cv::cvtColor(photo(2, {640, 480}), grey, cv::COLOR_BGR2GRAY);
  auto marked_grey = embed_image_watermark(grey, 5, key);
  ASSERT_TRUE(marked_grey);
  EXPECT_EQ(marked_grey->channels(), 1);
  EXPECT_EQ(read_image_watermark(*marked_grey, key)->payload, 5U);

  cv::Mat bgra;
  cv::cvtColor(photo(2, {640, 480}), bgra, cv::COLOR_BGR2BGRA);
  std::vector<cv::Mat> planes;
  cv::split(bgra, planes);
  planes[3].setTo(77);
  cv::merge(planes, bgra);
  auto marked_bgra = embed_image_watermark(bgra, 6, key);
  ASSERT_TRUE(marked_bgra);
  std::vector<cv::Mat> marked_planes;
  cv::split(*marked_bgra, marked_planes);
  EXPECT_EQ(cv::countNonZero(marked_planes[3] != 77), 0) << "alpha must be left alone";
  EXPECT_EQ(read_image_watermark(*marked_bgra, key)->payload, 6U);
}

TEST_F(ImageWatermark, FlatAreasAreLeftUntouched) {
  // Left half a photo, right half flat grey: no pixel of the flat half away from the
  // boundary may change, so no pattern can show there.
  cv::Mat image(720, 1280, CV_8UC3, cv::Scalar(128, 128, 128));
  photo(0, {640, 720}).copyTo(image(cv::Rect(0, 0, 640, 720)));
  auto marked = embed_image_watermark(image, 8, key_of(4));
  ASSERT_TRUE(marked);
  const cv::Rect flat(700, 0, 580, 720);
  cv::Mat diff;
  cv::absdiff(image(flat), (*marked)(flat), diff);
  EXPECT_EQ(cv::countNonZero(diff.reshape(1)), 0);
  EXPECT_EQ(read_image_watermark(*marked, key_of(4))->payload, 8U);
}

TEST(ImageWatermarkRefusals, TooSmall) {
  const cv::Mat image(255, 400, CV_8UC3, cv::Scalar(1, 2, 3));
  cv::randu(image, 0, 255);
  auto marked = embed_image_watermark(image, 1, key_of(1));
  ASSERT_FALSE(marked);
  EXPECT_EQ(marked.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(marked.error().message.find("too small"), std::string::npos);
}

TEST(ImageWatermarkRefusals, TooFlat) {
  for (const cv::Mat& image : {cv::Mat(600, 800, CV_8UC3, cv::Scalar(200, 200, 200)),
                               cv::Mat(600, 800, CV_8UC3, cv::Scalar(0, 0, 0))}) {
    auto marked = embed_image_watermark(image, 1, key_of(1));
    ASSERT_FALSE(marked);
    EXPECT_EQ(marked.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(marked.error().message.find("too flat"), std::string::npos);
  }
}

TEST(ImageWatermarkRefusals, BadPixelsAndEmptyKey) {
  EXPECT_FALSE(embed_image_watermark(cv::Mat(), 1, key_of(1)));
  EXPECT_FALSE(embed_image_watermark(cv::Mat(300, 300, CV_16UC3), 1, key_of(1)));
  EXPECT_FALSE(read_image_watermark(cv::Mat(300, 300, CV_32FC1), key_of(1)));
  EXPECT_FALSE(embed_image_watermark(cv::Mat(300, 300, CV_8UC3), 1, SecretBytes()));
  EXPECT_FALSE(read_image_watermark(cv::Mat(300, 300, CV_8UC3), SecretBytes()));
}

TEST(ImageWatermarkReading, TinyImagesReadAsNotFound) {
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(63, 500), cv::Size(500, 10)}) {
    cv::Mat image(size, CV_8UC3);
    cv::randu(image, 0, 255);
    auto reading = read_image_watermark(image, key_of(1));
    ASSERT_TRUE(reading);
    EXPECT_FALSE(reading->found);
  }
}

}  // namespace
}  // namespace synthgate::watermark
