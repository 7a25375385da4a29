#pragma once

#include <opencv2/core/mat.hpp>

#include <string_view>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

enum class ImageFormat { kPng, kJpeg, kWebp, kBmp };

// The format named by the file's first bytes (its signature), never by its name.
Result<ImageFormat> sniff_image_format(ByteView bytes);

std::string_view format_name(ImageFormat format);

struct DecodedImage {
  ImageFormat format;
  cv::Mat pixels;  // 8-bit, 1 (grey), 3 (BGR) or 4 (BGRA) channels, as stored
};

// Decodes PNG, JPEG, WebP or BMP. Other formats, broken files and images beyond
// `max_pixels` are refused with kUnsupportedMediaType or kInvalidArgument.
Result<DecodedImage> decode_image(ByteView bytes, std::size_t max_pixels = 100'000'000);

// Encodes 8-bit grey, BGR or BGRA pixels. By default JPEG at quality 95 and lossless WebP, so
// that encoding adds as little loss as the format allows; `quality` 1..100 asks for that JPEG
// quality or lossy WebP at it (labelling keeps the source's settings: media/jpeg_quality).
Result<Bytes> encode_image(const cv::Mat& pixels, ImageFormat format, int quality = -1);

}  // namespace synthgate::media
