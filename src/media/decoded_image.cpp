#include "media/decoded_image.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace synthgate::media {

std::string_view format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kWebp:
      return "webp";
    case ImageFormat::kBmp:
      return "bmp";
    case ImageFormat::kTiff:
      return "tiff";
    case ImageFormat::kUnknown:
      return "unknown";
  }
  return "unknown";
}

ImageFormat sniff_image_format(ByteView bytes) {
  const auto starts = [&bytes](std::string_view magic, std::size_t at = 0) {
    if (bytes.size() < at + magic.size()) return false;
    for (std::size_t i = 0; i < magic.size(); ++i) {
      if (bytes[at + i] != static_cast<std::uint8_t>(magic[i])) return false;
    }
    return true;
  };
  if (starts("\xFF\xD8\xFF")) return ImageFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n")) return ImageFormat::kPng;
  if (starts("RIFF") && starts("WEBP", 8)) return ImageFormat::kWebp;
  if (starts("BM")) return ImageFormat::kBmp;
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
    return ImageFormat::kTiff;
  }
  return ImageFormat::kUnknown;
}

Result<RgbImage> decode_image(ByteView bytes, std::int64_t max_pixels) {
  const auto format = sniff_image_format(bytes);
  if (format == ImageFormat::kUnknown) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "not an image this build decodes (JPEG, PNG, WebP, BMP, TIFF)");
  }
  try {
    // OpenCV takes a non-const Mat header over the bytes; imdecode only reads them.
    const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1,
                      const_cast<std::uint8_t*>(bytes.data()));
    const cv::Mat bgr = cv::imdecode(raw, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
    if (bgr.empty()) {
      return fail(ErrorCode::kInvalidArgument,
                  "cannot decode the " + std::string(format_name(format)) + " image");
    }
    if (static_cast<std::int64_t>(bgr.rows) * bgr.cols > max_pixels) {
      return fail(ErrorCode::kPayloadTooLarge, "image has more pixels than allowed");
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
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
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInvalidArgument,
                "cannot decode the " + std::string(format_name(format)) + " image: " + e.what());
  }
}

}  // namespace synthgate::media
