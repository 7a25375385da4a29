#pragma once

#include <opencv2/core/mat.hpp>

#include <string>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// How a JPEG was written, read back from its header: what a labelled copy keeps.
struct JpegSettings {
  int quality = 95;          // the IJG quality (1..100) whose luminance table is closest
  bool exact_table = false;  // the luminance table is exactly IJG's table at that quality
  int luma_h = 2;            // sampling factors of the first component; chroma is at 1x1
  int luma_v = 2;
  bool grey = false;
  std::string subsampling = "4:2:0";  // "4:4:4", "4:2:2", "4:2:0", "4:4:0", "4:1:1", "grey"
};

// Estimates the quality from the first luminance quantisation table (DQT, table 0), inverting
// libjpeg's scaling of its standard table (the quality whose scaled table is nearest), and reads
// the chroma subsampling from the start-of-frame segment. Refuses a file without them.
Result<JpegSettings> read_jpeg_settings(ByteView file);

// Encodes 8-bit grey or BGR pixels (BGRA: alpha dropped) through libjpeg at the given quality
// and luma sampling factors, with optimised Huffman tables.
Result<Bytes> encode_jpeg(const cv::Mat& pixels, const JpegSettings& settings);

}  // namespace synthgate::media
