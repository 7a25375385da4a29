#include "media/decoded_image.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>

#include "media/animated_gif.hpp"
#include "media/animated_webp.hpp"
#include "media/image_codec.hpp"

namespace synthgate::media {

Result<cv::Mat> decode_first_frame(ByteView bytes, std::size_t max_pixels) {
  AnimationLimits limits;
  limits.max_canvas_pixels = std::min<std::uint64_t>(limits.max_canvas_pixels, max_pixels);
  cv::Mat first;
  // The visitor stops the decoder after the first frame (by failing it), so that a long
  // animation costs one frame here, not all of them; that stop is then no error.
  const FrameVisitor keep_first = [&first](const cv::Mat& bgra, int) -> Status {
    first = bgra.clone();
    return fail(ErrorCode::kInternal, "first frame taken");
  };
  auto info = is_gif(bytes) ? decode_gif_frames(bytes, keep_first, limits)
                            : decode_webp_frames(bytes, keep_first, limits);
  if (!first.empty()) return first;
  if (!info) return tl::unexpected(info.error());
  return fail(ErrorCode::kInvalidArgument, "animation without frames");
}

Result<RgbImage> decode_rgb_image(ByteView bytes, std::size_t max_pixels) {
  auto webp_frames = webp_frame_count(bytes);
  const bool animation = is_gif(bytes) || (webp_frames && *webp_frames > 1);
  auto decoded = animation ? decode_first_frame(bytes, max_pixels).map([](cv::Mat bgra) {
    return DecodedImage{ImageFormat::kWebp, std::move(bgra)};
  })
                           : decode_image(bytes, max_pixels);
  if (!decoded) return tl::unexpected(decoded.error());
  cv::Mat rgb;
  try {
    switch (decoded->pixels.channels()) {
      case 1:
        cv::cvtColor(decoded->pixels, rgb, cv::COLOR_GRAY2RGB);
        break;
      case 4:
        cv::cvtColor(decoded->pixels, rgb, cv::COLOR_BGRA2RGB);
        break;
      default:
        cv::cvtColor(decoded->pixels, rgb, cv::COLOR_BGR2RGB);
        break;
    }
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInvalidArgument, std::string("cannot convert the image: ") + e.what());
  }
  RgbImage out;
  out.width = rgb.cols;
  out.height = rgb.rows;
  out.rgb.resize(static_cast<std::size_t>(rgb.rows) * static_cast<std::size_t>(rgb.cols) * 3);
  for (int y = 0; y < rgb.rows; ++y) {
    const auto* row = rgb.ptr<std::uint8_t>(y);
    std::copy(row, row + rgb.cols * 3,
              out.rgb.begin() + static_cast<std::ptrdiff_t>(y) * rgb.cols * 3);
  }
  return out;
}

}  // namespace synthgate::media
