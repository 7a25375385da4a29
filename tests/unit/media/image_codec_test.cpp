#include "media/image_codec.hpp"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <string_view>

#include "core/encoding.hpp"

using namespace std::string_view_literals;

namespace synthgate::media {
namespace {

cv::Mat sample(int channels) {
  cv::Mat m(40, 60, CV_8UC(channels));
  cv::randu(m, 0, 256);
  return m;
}

TEST(ImageCodec, SniffsBySignature) {
  EXPECT_EQ(sniff_image_format(as_bytes("\x89PNG\r\n\x1a\nrest")).value(), ImageFormat::kPng);
  EXPECT_EQ(sniff_image_format(as_bytes("\xff\xd8\xff\xe0")).value(), ImageFormat::kJpeg);
  EXPECT_EQ(sniff_image_format(as_bytes("RIFF\x10\0\0\0WEBPVP8 "sv)).value(), ImageFormat::kWebp);
  EXPECT_EQ(sniff_image_format(as_bytes("GIF89a")).error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_FALSE(sniff_image_format(ByteView{}));
}

TEST(ImageCodec, LosslessRoundTrips) {
  for (const ImageFormat format : {ImageFormat::kPng, ImageFormat::kWebp, ImageFormat::kBmp}) {
    for (const int channels : {1, 3, 4}) {
      // Only PNG keeps grey and alpha exactly; OpenCV writes WebP and BMP as colour.
      if (format != ImageFormat::kPng && channels != 3) continue;
      const cv::Mat pixels = sample(channels);
      auto bytes = encode_image(pixels, format);
      ASSERT_TRUE(bytes) << format_name(format);
      auto decoded = decode_image(*bytes);
      ASSERT_TRUE(decoded) << decoded.error().message;
      EXPECT_EQ(decoded->format, format);
      ASSERT_EQ(decoded->pixels.channels(), channels) << format_name(format) << channels;
      EXPECT_EQ(cv::norm(decoded->pixels, pixels, cv::NORM_INF), 0.0) << format_name(format);
    }
  }
}

TEST(ImageCodec, JpegIsCloseAtQuality95) {
  cv::Mat smooth(64, 64, CV_8UC3, cv::Scalar(90, 120, 150));
  auto bytes = encode_image(smooth, ImageFormat::kJpeg);
  ASSERT_TRUE(bytes);
  auto decoded = decode_image(*bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->format, ImageFormat::kJpeg);
  EXPECT_LE(cv::norm(decoded->pixels, smooth, cv::NORM_INF), 3.0);
}

TEST(ImageCodec, RefusesBrokenAndForeignBytes) {
  EXPECT_EQ(decode_image(as_bytes("not an image at all")).error().code,
            ErrorCode::kUnsupportedMediaType);
  auto bytes = encode_image(sample(3), ImageFormat::kPng).value();
  bytes.resize(bytes.size() / 2);
  EXPECT_EQ(decode_image(bytes).error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(encode_image(cv::Mat(), ImageFormat::kPng));
  EXPECT_FALSE(encode_image(cv::Mat(4, 4, CV_32FC1), ImageFormat::kPng));
}

// A file that starts like a WebP but whose header libwebp rejects must not reach OpenCV, which
// would offer it to its other decoders, GDAL's raster drivers among them. These bytes (found by
// fuzz_image_decode) crashed inside GDAL.
TEST(ImageCodec, RefusesAWebpHeaderLibwebpRejectsWithoutTryingOtherDecoders) {
  const auto bytes = base64_decode(
                         "UklGRtAAAABXRUJQUts4B78kHmwPgSOsC0BhDmR4KNDqqcnmO5/0Cze/gNrYo9/6OP3G5cX/"
                         "OWin0+Vy7pTc121kYv8ubG9nAMAzLx4K5+FAgsigfCkvoBvunhAxNGzQ3mHQoicUF+7hSU1B"
                         "R0lORV9SQVdfRklMRZO66AZTJihESUNNw+lFK0RBAA==")
                         .value();
  EXPECT_EQ(sniff_image_format(bytes).value(), ImageFormat::kWebp);
  auto decoded = decode_image(bytes);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(decoded.error().message.find("WebP"), std::string::npos);
}

TEST(ImageCodec, RefusesImagesBeyondThePixelLimit) {
  auto bytes = encode_image(sample(3), ImageFormat::kPng).value();
  EXPECT_EQ(decode_image(bytes, 100).error().code, ErrorCode::kInvalidArgument);
  auto webp = encode_image(sample(3), ImageFormat::kWebp).value();
  EXPECT_EQ(decode_image(webp, 100).error().code, ErrorCode::kInvalidArgument);

  // A JPEG whose frame header claims 60000 x 60000 is refused from the header, before
  // any pixel memory is allocated.
  auto jpeg = encode_image(sample(3), ImageFormat::kJpeg).value();
  std::size_t sof = 2;
  while (!(jpeg[sof] == 0xff && jpeg[sof + 1] == 0xc0))
    sof += 2 + std::size_t{jpeg[sof + 2]} * 256 + jpeg[sof + 3];
  for (const std::size_t at : {sof + 5, sof + 7}) {
    jpeg[at] = 0xea;
    jpeg[at + 1] = 0x60;
  }
  auto refused = decode_image(jpeg);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("larger than"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::media
