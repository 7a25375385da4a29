// media::decode_gif_frames and edit_gif on arbitrary bytes: never crash; every frame is the
// logical screen's size in BGRA, the count and delays agree, and an edit of a corner gives a
// GIF that decodes to the same number of frames.
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/animated_gif.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate;
  const ByteView bytes(data, size);
  media::AnimationLimits limits;
  limits.max_canvas_pixels = 1'000'000;
  limits.max_frames = 64;
  limits.max_total_pixels = 4'000'000;
  int seen = 0;
  auto info = media::decode_gif_frames(
      bytes,
      [&](const cv::Mat& bgra, int index) -> Status {
        FUZZ_CHECK(index == seen && bgra.type() == CV_8UC4);
        ++seen;
        return {};
      },
      limits);
  if (!info) return 0;
  FUZZ_CHECK(info->frames == seen && info->delays_ms.size() == static_cast<std::size_t>(seen));
  FUZZ_CHECK(static_cast<std::uint64_t>(info->width) * static_cast<std::uint64_t>(info->height) <=
             limits.max_canvas_pixels);
  const cv::Rect corner(0, 0, std::min(info->width, 4), std::min(info->height, 4));
  auto edited = media::edit_gif(
      bytes,
      [&](cv::Mat& bgra, int index) -> Result<cv::Rect> {
        bgra(corner).setTo(cv::Scalar(index * 40 % 256, 200, 30, 255));
        return corner;
      },
      limits);
  FUZZ_CHECK(edited);
  auto again = media::decode_gif_frames(edited->bytes, {}, limits);
  FUZZ_CHECK(again && again->frames == info->frames);
  return 0;
}
