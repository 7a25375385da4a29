// WatermarkEvidence: the sum over frames reads what no single frame can, frames dragged out
// of register (as a video coder's motion compensation does) are put back, and noise or a
// wrong key never reads as found.
#include <gtest/gtest.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <random>

#include "photo_fixture.hpp"
#include "watermark/image_watermark.hpp"

namespace synthgate::watermark {
namespace {

SecretBytes key_of(std::uint8_t fill) {
  return SecretBytes(std::vector<std::uint8_t>(32, fill));
}

cv::Mat with_noise(const cv::Mat& image, double sigma, std::uint64_t seed) {
  cv::theRNG().state = seed;
  cv::Mat noise(image.size(), CV_32FC(image.channels()));
  cv::randn(noise, 0.0, sigma);
  cv::Mat out;
  image.convertTo(out, CV_32F);
  out += noise;
  out.convertTo(out, CV_8U);
  return out;
}

class Evidence : public testing::PhotoTest {};

TEST_F(Evidence, SumOfWeakFramesReadsWhatNoSingleFrameCan) {
  // A camera panning across a photo, each frame carrying 6% of the mark under fresh
  // noise: too weak to read in any one frame. The content moves and averages out of the sum;
  // the mark, fixed in the frame, adds up.
  const cv::Mat scene = photo(0, {1600, 900});
  int single_found = 0;
  WatermarkEvidence evidence;
  for (int i = 0; i < 32; ++i) {
    const cv::Mat frame = scene(cv::Rect(9 * i, 3 * i, 1280, 720)).clone();
    const cv::Mat marked = embed_image_watermark(frame, 77, key_of(3)).value();
    cv::Mat frame_f;
    cv::Mat marked_f;
    frame.convertTo(frame_f, CV_32F);
    marked.convertTo(marked_f, CV_32F);
    // Kept in floating point: the noise dithers the fraction of a level before rounding.
    const cv::Mat weak = frame_f + 0.06 * (marked_f - frame_f);
    const cv::Mat noisy = with_noise(weak, 3.0, 1000 + static_cast<std::uint64_t>(i));
    if (read_image_watermark(noisy, key_of(3))->found) ++single_found;
    ASSERT_TRUE(evidence.add(noisy));
  }
  EXPECT_EQ(single_found, 0);
  EXPECT_EQ(evidence.pictures(), 32);
  auto reading = evidence.read(key_of(3));
  ASSERT_TRUE(reading);
  EXPECT_TRUE(reading->found);
  EXPECT_EQ(reading->payload, 77U);
}

TEST_F(Evidence, FramesShiftedOutOfRegisterStillRead) {
  // Each frame's mark moved by a different whole number of pixels: the plain sum smears it,
  // the registered sum aligns each frame on its own synchronisation peak.
  const cv::Mat marked = embed_image_watermark(photo(2, {1280, 720}), 91, key_of(4)).value();
  WatermarkEvidence evidence;
  for (int i = 0; i < 12; ++i) {
    const int dx = 11 * i;
    const int dy = 5 * i;
    cv::Mat shifted;
    cv::copyMakeBorder(marked, shifted, 0, dy, 0, dx, cv::BORDER_REFLECT);
    shifted = with_noise(shifted(cv::Rect(dx, dy, 1280, 720)), 12.0,
                         2000 + static_cast<std::uint64_t>(i));
    ASSERT_TRUE(evidence.add(shifted));
  }
  auto reading = evidence.read(key_of(4));
  ASSERT_TRUE(reading);
  EXPECT_TRUE(reading->found);
  EXPECT_EQ(reading->payload, 91U);
}

TEST_F(Evidence, RefusesAPictureOfAnotherSize) {
  WatermarkEvidence evidence;
  ASSERT_TRUE(evidence.add(photo(0, {640, 360})));
  auto other = evidence.add(photo(0, {512, 512}));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(evidence.pictures(), 1);
}

TEST_F(Evidence, NothingAddedReadsAsNotFound) {
  const WatermarkEvidence evidence;
  auto reading = evidence.read(key_of(1));
  ASSERT_TRUE(reading);
  EXPECT_FALSE(reading->found);
}

TEST(EvidenceFalsePositives, NoneOverNoiseUnmarkedPhotosAndWrongKeys) {
  // 300 reads of 6 pictures each (at most 6 decodes a read): unmarked noise with fresh keys,
  // and marked pictures read with wrong keys.
  std::mt19937_64 random(99);
  int found = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<std::uint8_t> key_bytes(32);
    for (auto& b : key_bytes) b = static_cast<std::uint8_t>(random());
    const SecretBytes key(key_bytes);
    WatermarkEvidence evidence;
    cv::Mat base(288, 352, CV_8UC1);
    cv::theRNG().state = random();
    cv::randu(base, 0, 256);
    cv::GaussianBlur(base, base, {0, 0}, 1.0 + trial % 3);
    if (trial % 2 == 1) base = embed_image_watermark(base, random(), key_of(5)).value();
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(evidence.add(with_noise(base, 3.0, random())));
    if (evidence.read(key)->found) ++found;
  }
  EXPECT_EQ(found, 0);
}

}  // namespace
}  // namespace synthgate::watermark
