// media::decode_webp_frames and webp_frame_count on arbitrary bytes: never crash; every frame
// is the canvas's size in BGRA and the count and delays agree with the header.
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/animated_webp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate;
  const ByteView bytes(data, size);
  media::AnimationLimits limits;
  limits.max_canvas_pixels = 1'000'000;
  limits.max_frames = 64;
  limits.max_total_pixels = 4'000'000;
  auto count = media::webp_frame_count(bytes);
  int seen = 0;
  auto info = media::decode_webp_frames(
      bytes,
      [&](const cv::Mat& bgra, int index) -> Status {
        FUZZ_CHECK(index == seen && bgra.type() == CV_8UC4);
        ++seen;
        return {};
      },
      limits);
  if (!info) return 0;
  FUZZ_CHECK(count && *count == info->frames);
  FUZZ_CHECK(info->frames == seen && info->delays_ms.size() == static_cast<std::size_t>(seen));
  return 0;
}
