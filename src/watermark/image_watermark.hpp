#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"

namespace synthgate::watermark {

struct WatermarkReading {
  bool found = false;  // true only when the keyed check matched
  std::uint64_t payload = 0;
  double confidence = 0.0;  // 0..1; 0 when not found
  int bit_errors = 0;       // coded-bit errors corrected; 0 when not found
};

// The smallest side an image needs to carry the mark (several whole tiles each way).
inline constexpr int kMinEmbedSide = 256;

// Adds the keyed mark carrying `payload` to 8-bit grey, BGR or BGRA pixels (alpha kept).
// Refuses with kInvalidArgument an image that is too small or too flat to carry it.
Result<cv::Mat> embed_image_watermark(const cv::Mat& pixels, std::uint64_t payload,
                                      const SecretBytes& key);

// Reads the mark blindly (no original needed) after scaling, cropping, small rotations and
// lossy coding. A wrong key, an unmarked image or a destroyed mark read as not found.
Result<WatermarkReading> read_image_watermark(const cv::Mat& pixels, const SecretBytes& key);

}  // namespace synthgate::watermark
