#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// 8-bit RGB pixels, row-major, three bytes per pixel: what perceptual hashing reads. Alpha is
// dropped without compositing, grey is copied into R, G and B, and EXIF orientation is not
// applied: the pixels as stored.
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;
};

// Decodes an image through image_codec.hpp (type from the bytes, decompression bombs refused
// from the header) and converts it to RgbImage. GIF and animated WebP: the first frame, as
// shown (media/animated_gif, animated_webp).
// The first frame of a GIF or an animated WebP as shown (8-bit BGRA on the full canvas).
Result<cv::Mat> decode_first_frame(ByteView bytes, std::size_t max_pixels = 100'000'000);

Result<RgbImage> decode_rgb_image(ByteView bytes, std::size_t max_pixels = 100'000'000);

}  // namespace synthgate::media
