#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// 8-bit RGB pixels, row-major, three bytes per pixel. Alpha is dropped without compositing,
// grey is copied into R, G and B, and EXIF orientation is not applied: the pixels as stored.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};

enum class ImageFormat { kJpeg, kPng, kWebp, kBmp, kTiff, kUnknown };
std::string_view format_name(ImageFormat format);

// The format read from the first bytes, never from a file name.
ImageFormat sniff_image_format(ByteView bytes);

// Decodes JPEG, PNG, WebP, BMP or TIFF (OpenCV's codecs: libjpeg-turbo with its defaults,
// libpng). Refuses anything else, and images over `max_pixels`, as kUnsupportedMediaType or
// kInvalidArgument.
Result<RgbImage> decode_image(ByteView bytes, std::int64_t max_pixels = 100'000'000);

}  // namespace synthgate::media
