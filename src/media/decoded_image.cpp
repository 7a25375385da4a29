#include "media/decoded_image.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "media/image_codec.hpp"

namespace synthgate::media {

Result<RgbImage> decode_rgb_image(ByteView bytes, std::size_t max_pixels) {
  auto decoded = decode_image(bytes, max_pixels);
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
