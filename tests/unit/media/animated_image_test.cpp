#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include <vector>

#include "media/animated_gif.hpp"
#include "media/animated_webp.hpp"
#include "media/decoded_image.hpp"
#include "support/animation_fixtures.hpp"

namespace synthgate::media {
namespace {

using testing::kAnimationHeight;
using testing::kAnimationLoops;
using testing::kAnimationWidth;

std::vector<cv::Mat> gif_frames(ByteView file) {
  std::vector<cv::Mat> frames;
  auto info = decode_gif_frames(file, [&](const cv::Mat& bgra, int) -> Status {
    frames.push_back(bgra.clone());
    return {};
  });
  EXPECT_TRUE(info) << info.error().message;
  return frames;
}

std::vector<cv::Mat> webp_frames(ByteView file) {
  std::vector<cv::Mat> frames;
  auto info = decode_webp_frames(file, [&](const cv::Mat& bgra, int) -> Status {
    frames.push_back(bgra.clone());
    return {};
  });
  EXPECT_TRUE(info) << info.error().message;
  return frames;
}

// Pixels that differ between two BGRA images, outside `inside`.
int differences_outside(const cv::Mat& a, const cv::Mat& b, cv::Rect inside) {
  int n = 0;
  for (int y = 0; y < a.rows; ++y) {
    for (int x = 0; x < a.cols; ++x) {
      if (!inside.contains({x, y}) && a.at<cv::Vec4b>(y, x) != b.at<cv::Vec4b>(y, x)) ++n;
    }
  }
  return n;
}

// An edit with many colours that are not in the fixture's tables: a gradient.
Result<cv::Rect> paint_gradient(cv::Mat& bgra, cv::Rect box) {
  for (int y = box.y; y < box.y + box.height; ++y) {
    for (int x = box.x; x < box.x + box.width; ++x) {
      bgra.at<cv::Vec4b>(y, x) =
          cv::Vec4b(static_cast<std::uint8_t>(x * 4), static_cast<std::uint8_t>(y * 3), 128, 255);
    }
  }
  return box;
}

TEST(AnimatedGif, DecodesEveryFrameWithItsTimingAndLoopCount) {
  const auto gif = testing::make_animated_gif();
  auto info = decode_gif_frames(gif, {});
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->frames, 5);
  EXPECT_EQ(info->loop_count, kAnimationLoops);
  EXPECT_EQ(info->delays_ms, (std::vector<int>{100, 200, 300, 400, 500}));
  EXPECT_EQ(info->width, kAnimationWidth);
  EXPECT_EQ(info->height, kAnimationHeight);
  EXPECT_TRUE(info->transparent);
  const auto frames = gif_frames(gif);
  ASSERT_EQ(frames.size(), 5u);
  // Frame 2 is a sub-rectangle over frame 1: outside it frame 1 shows through; inside, the
  // transparent pixels (index 0) show frame 1 too.
  EXPECT_EQ(differences_outside(frames[1], frames[2], {30, 20, 90, 70}), 0);
  EXPECT_EQ(frames[2].at<cv::Vec4b>(20, 30), frames[1].at<cv::Vec4b>(20, 30));
  // Frame 3 comes after disposal 2: frame 2's rectangle is cleared to transparent.
  EXPECT_EQ(frames[3].at<cv::Vec4b>(50, 50)[3], 0);
  EXPECT_EQ(frames[3].at<cv::Vec4b>(5, 5), frames[1].at<cv::Vec4b>(5, 5));
}

TEST(AnimatedGif, EditChangesOnlyTheEditedRectangleOfEveryFrame) {
  const auto gif = testing::make_animated_gif();
  const cv::Rect box(140, 110, 50, 30);
  auto edited = edit_gif(gif, [&](cv::Mat& bgra, int) { return paint_gradient(bgra, box); });
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->info.frames, 5);
  auto again = decode_gif_frames(edited->bytes, {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->frames, 5);
  EXPECT_EQ(again->loop_count, kAnimationLoops);
  EXPECT_EQ(again->delays_ms, (std::vector<int>{100, 200, 300, 400, 500}));
  const auto before = gif_frames(gif);
  const auto after = gif_frames(edited->bytes);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(differences_outside(before[i], after[i], box), 0) << "frame " << i;
    // Inside, the gradient as close as the colour table allows (free slots take its colours).
    cv::Mat expected = before[i].clone();
    ASSERT_TRUE(paint_gradient(expected, box));
    cv::Mat diff;
    cv::absdiff(expected(box), after[i](box), diff);
    const cv::Scalar mean = cv::mean(diff);
    EXPECT_LT(mean[0] + mean[1] + mean[2], 24.0) << "frame " << i;
    EXPECT_GT(cv::norm(before[i](box), after[i](box), cv::NORM_L1), 0.0) << "frame " << i;
  }
}

TEST(AnimatedGif, RefusesBrokenAndOversizedFiles) {
  const auto gif = testing::make_animated_gif();
  const std::vector<std::uint8_t> half(gif.begin(), gif.begin() + 300);
  EXPECT_FALSE(decode_gif_frames(half, {}));
  AnimationLimits small;
  small.max_canvas_pixels = 100 * 100;
  auto refused = decode_gif_frames(gif, {}, small);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  AnimationLimits few;
  few.max_frames = 3;
  EXPECT_FALSE(edit_gif(
      gif, [](cv::Mat&, int) { return Result<cv::Rect>(cv::Rect()); }, few));
}

// decode_first_frame stops after frame 0: it reads the frame from a file whose second frame
// is broken, which a full decode refuses.
TEST(AnimatedGif, FirstFrameIsDecodedWithoutTheRest) {
  const auto gif = testing::make_animated_gif();
  const auto frames = gif_frames(gif);
  ASSERT_EQ(frames.size(), 5u);
  auto first = decode_first_frame(gif);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(cv::norm(*first, frames[0], cv::NORM_INF), 0.0);
  // The shortest prefix that holds frame 0, then a frame descriptor of width 0.
  std::size_t end_of_first = gif.size();
  for (std::size_t n = 16; n < gif.size(); ++n) {
    if (decode_first_frame(ByteView(gif.data(), n))) {
      end_of_first = n;
      break;
    }
  }
  ASSERT_LT(end_of_first, gif.size());
  std::vector<std::uint8_t> broken(gif.begin(),
                                   gif.begin() + static_cast<std::ptrdiff_t>(end_of_first));
  const std::vector<std::uint8_t> empty_frame = {0x2c, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  broken.insert(broken.end(), empty_frame.begin(), empty_frame.end());
  EXPECT_FALSE(decode_gif_frames(broken, {}));
  auto from_broken = decode_first_frame(broken);
  ASSERT_TRUE(from_broken) << from_broken.error().message;
  EXPECT_EQ(cv::norm(*from_broken, frames[0], cv::NORM_INF), 0.0);
  EXPECT_FALSE(decode_first_frame(ByteView(gif.data(), 16)));
}

TEST(AnimatedWebp, FirstFrameIsTheFirstFrameShown) {
  const auto webp = testing::make_animated_webp(true);
  const auto frames = webp_frames(webp);
  ASSERT_EQ(frames.size(), 5u);
  auto first = decode_first_frame(webp);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(cv::norm(*first, frames[0], cv::NORM_INF), 0.0);
}

TEST(AnimatedWebp, LosslessEditKeepsTimingLoopAndEveryPixelOutsideTheEdit) {
  const auto webp = testing::make_animated_webp(true);
  ASSERT_EQ(webp_frame_count(webp).value_or(0), 5);
  const cv::Rect box(140, 110, 50, 30);
  auto edited = edit_webp(webp, [&](cv::Mat& bgra, int) { return paint_gradient(bgra, box); });
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->info.encoding, "lossless");
  auto again = decode_webp_frames(edited->bytes, {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->frames, 5);
  EXPECT_EQ(again->loop_count, kAnimationLoops);
  EXPECT_EQ(again->delays_ms, (std::vector<int>{100, 200, 300, 400, 500}));
  EXPECT_EQ(again->encoding, "lossless");
  const auto before = webp_frames(webp);
  const auto after = webp_frames(edited->bytes);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(differences_outside(before[i], after[i], box), 0) << "frame " << i;
    cv::Mat expected = before[i].clone();
    ASSERT_TRUE(paint_gradient(expected, box));
    EXPECT_EQ(cv::norm(expected(box), after[i](box), cv::NORM_INF), 0.0) << "frame " << i;
  }
}

TEST(AnimatedWebp, LossyFramesStayLossy) {
  const auto webp = testing::make_animated_webp(false);
  const cv::Rect box(140, 110, 50, 30);
  auto edited = edit_webp(webp, [&](cv::Mat& bgra, int) { return paint_gradient(bgra, box); });
  ASSERT_TRUE(edited) << edited.error().message;
  auto again = decode_webp_frames(edited->bytes, {});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->encoding, "lossy");
  EXPECT_EQ(again->frames, 5);
  EXPECT_EQ(again->delays_ms, (std::vector<int>{100, 200, 300, 400, 500}));
}

TEST(AnimatedWebp, RefusesOversizedCanvases) {
  const auto webp = testing::make_animated_webp(true);
  AnimationLimits small;
  small.max_canvas_pixels = 100 * 100;
  auto refused = decode_webp_frames(webp, {}, small);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(webp_frame_count(testing::make_animated_gif()));
}

}  // namespace
}  // namespace synthgate::media
