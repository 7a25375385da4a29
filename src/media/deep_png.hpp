#pragma once

#include <opencv2/core/mat.hpp>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// 16-bit PNG kept at 16 bits (image_codec decodes 8-bit images only): grey, BGR or BGRA
// CV_16U pixels. Anything else is refused with kUnsupportedMediaType.
Result<cv::Mat> decode_png16(ByteView bytes, std::size_t max_pixels = 100'000'000);
Result<Bytes> encode_png16(const cv::Mat& pixels);

}  // namespace synthgate::media
