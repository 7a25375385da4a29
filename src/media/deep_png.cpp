#include "media/deep_png.hpp"

#include <opencv2/imgcodecs.hpp>

#include <vector>

#include "media/image_codec.hpp"
#include "media/png_chunks.hpp"

namespace synthgate::media {

namespace {

std::uint32_t big_endian(ByteView b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) |
         (std::uint32_t{b[at + 2]} << 8) | std::uint32_t{b[at + 3]};
}

}  // namespace

Result<cv::Mat> decode_png16(ByteView bytes, std::size_t max_pixels) {
  auto format = sniff_image_format(bytes);
  if (!format || *format != ImageFormat::kPng || bytes.size() < 33) {
    return fail(ErrorCode::kUnsupportedMediaType, "not a PNG file");
  }
  // IHDR: width and height at 16 and 20, bit depth at 24.
  const std::uint64_t pixels = std::uint64_t{big_endian(bytes, 16)} * big_endian(bytes, 20);
  if (pixels == 0 || pixels > max_pixels) {
    return fail(ErrorCode::kInvalidArgument, "image is larger than the allowed pixel count");
  }
  if (bytes[24] != 16) return fail(ErrorCode::kUnsupportedMediaType, "not a 16-bit PNG");
  // The chunk structure and every CRC first: given a damaged file, OpenCV's decoder can spend
  // seconds and gigabytes before it gives up (found by fuzz_png16_decode).
  if (auto chunks = walk_png(bytes); !chunks) return tl::unexpected(chunks.error());
  cv::Mat out;
  try {
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                         const_cast<std::uint8_t*>(bytes.data()));
    out = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInvalidArgument, std::string("cannot decode image: ") + e.what());
  }
  if (out.empty()) return fail(ErrorCode::kInvalidArgument, "cannot decode image (broken file)");
  if (out.depth() != CV_16U || out.channels() == 2 || out.channels() > 4) {
    return fail(ErrorCode::kUnsupportedMediaType, "unsupported 16-bit PNG layout");
  }
  return out;
}

Result<Bytes> encode_png16(const cv::Mat& pixels) {
  if (pixels.empty() || pixels.depth() != CV_16U ||
      (pixels.channels() != 1 && pixels.channels() != 3 && pixels.channels() != 4)) {
    return fail(ErrorCode::kInvalidArgument, "can only encode 16-bit grey, BGR or BGRA pixels");
  }
  std::vector<std::uint8_t> out;
  try {
    if (!cv::imencode(".png", pixels, out)) {
      return fail(ErrorCode::kInternal, "cannot encode a 16-bit PNG");
    }
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("cannot encode image: ") + e.what());
  }
  return out;
}

}  // namespace synthgate::media
