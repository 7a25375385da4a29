#include "media/image_codec.hpp"

#include <webp/decode.h>

#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <optional>
#include <vector>

namespace synthgate::media {

namespace {

bool starts_with(ByteView bytes, std::string_view prefix, std::size_t at = 0) {
  return bytes.size() >= at + prefix.size() &&
         std::memcmp(bytes.data() + at, prefix.data(), prefix.size()) == 0;
}

// What OpenCV's WebP decoder asks of a file's first 32 bytes before it claims the file. A file
// it does not claim goes on to the next decoder whose signature matches, GDAL's among them
// (a temporary file and dozens of raster drivers, one of which the fuzzer crashed): a WebP is
// only handed to OpenCV when its own WebP decoder will take it.
std::optional<WebPBitstreamFeatures> webp_header(ByteView b) {
  constexpr std::size_t kOpenCvWebpHeader = 32;
  WebPBitstreamFeatures features{};
  if (b.size() < kOpenCvWebpHeader ||
      WebPGetFeatures(b.data(), kOpenCvWebpHeader, &features) != VP8_STATUS_OK) {
    return std::nullopt;
  }
  return features;
}

// Width and height from the header alone, so that a decompression bomb is refused before
// OpenCV allocates for it. Returns 0 when the header does not say (BMP: OpenCV's own limit of
// 2^30 pixels applies there).
std::uint64_t header_pixels(ByteView b, ImageFormat format) {
  const auto be16 = [&](std::size_t at) {
    return static_cast<std::uint32_t>((std::uint32_t{b[at]} << 8) | b[at + 1]);
  };
  const auto be32 = [&](std::size_t at) { return (be16(at) << 16) | be16(at + 2); };
  if (format == ImageFormat::kPng && b.size() >= 24) {
    return std::uint64_t{be32(16)} * be32(20);
  }
  if (format == ImageFormat::kWebp) {
    const auto features = webp_header(b);
    return features ? std::uint64_t(features->width) * std::uint64_t(features->height) : 0;
  }
  if (format == ImageFormat::kJpeg) {
    // Walk the marker segments to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
    std::size_t at = 2;
    while (at + 9 <= b.size() && b[at] == 0xff) {
      const std::uint8_t marker = b[at + 1];
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
        return std::uint64_t{be16(at + 5)} * be16(at + 7);
      }
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2;  // markers without a length
        continue;
      }
      at += 2 + be16(at + 2);
    }
  }
  return 0;
}

}  // namespace

Result<ImageFormat> sniff_image_format(ByteView bytes) {
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return ImageFormat::kPng;
  if (starts_with(bytes, "\xff\xd8\xff")) return ImageFormat::kJpeg;
  if (starts_with(bytes, "RIFF") && starts_with(bytes, "WEBP", 8)) return ImageFormat::kWebp;
  if (starts_with(bytes, "BM") && bytes.size() >= 26) return ImageFormat::kBmp;
  return fail(ErrorCode::kUnsupportedMediaType,
              "not a PNG, JPEG, WebP or BMP image (judged by its first bytes)");
}

std::string_view format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kJpeg:
      return "jpeg";
    case ImageFormat::kWebp:
      return "webp";
    case ImageFormat::kBmp:
      return "bmp";
  }
  return "unknown";
}

Result<DecodedImage> decode_image(ByteView bytes, std::size_t max_pixels) {
  auto format = sniff_image_format(bytes);
  if (!format) return tl::unexpected(format.error());
  if (*format == ImageFormat::kWebp && !webp_header(bytes)) {
    return fail(ErrorCode::kInvalidArgument, "cannot decode image (broken WebP header)");
  }
  if (header_pixels(bytes, *format) > max_pixels) {
    return fail(ErrorCode::kInvalidArgument, "image is larger than the allowed pixel count");
  }
  cv::Mat pixels;
  try {
    // cv::imdecode takes a Mat header over the bytes; it only reads them.
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                         const_cast<std::uint8_t*>(bytes.data()));
    pixels = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInvalidArgument, std::string("cannot decode image: ") + e.what());
  }
  if (pixels.empty()) return fail(ErrorCode::kInvalidArgument, "cannot decode image (broken file)");
  if (pixels.total() > max_pixels) {
    return fail(ErrorCode::kInvalidArgument, "image is larger than the allowed pixel count");
  }
  if (pixels.depth() != CV_8U) {
    return fail(ErrorCode::kUnsupportedMediaType, "only 8-bit images are supported");
  }
  if (pixels.channels() == 2 || pixels.channels() > 4) {
    return fail(ErrorCode::kUnsupportedMediaType, "unsupported channel layout");
  }
  return DecodedImage{*format, std::move(pixels)};
}

Result<Bytes> encode_image(const cv::Mat& pixels, ImageFormat format, int quality) {
  if (pixels.empty() || pixels.depth() != CV_8U ||
      (pixels.channels() != 1 && pixels.channels() != 3 && pixels.channels() != 4)) {
    return fail(ErrorCode::kInvalidArgument, "can only encode 8-bit grey, BGR or BGRA pixels");
  }
  std::string extension;
  std::vector<int> params;
  switch (format) {
    case ImageFormat::kPng:
      extension = ".png";
      break;
    case ImageFormat::kJpeg:
      extension = ".jpg";
      params = {cv::IMWRITE_JPEG_QUALITY, quality >= 1 && quality <= 100 ? quality : 95};
      break;
    case ImageFormat::kWebp:
      extension = ".webp";
      // Above 100 means lossless.
      params = {cv::IMWRITE_WEBP_QUALITY, quality >= 1 && quality <= 100 ? quality : 101};
      break;
    case ImageFormat::kBmp:
      extension = ".bmp";
      break;
  }
  std::vector<std::uint8_t> out;
  try {
    if (!cv::imencode(extension, pixels, out, params)) {
      return fail(ErrorCode::kInternal, "cannot encode image as " + extension);
    }
  } catch (const cv::Exception& e) {
    return fail(ErrorCode::kInternal, std::string("cannot encode image: ") + e.what());
  }
  return out;
}

}  // namespace synthgate::media
