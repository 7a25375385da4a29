// read_image_watermark on arbitrary pixels and sizes: never crashes, never errs on valid
// pixels, and never reports a mark (the key is fixed; no input can know its layout).
// Layout of the input: width (1 byte), height (1 byte), channels selector (1 byte), then
// pixel bytes, repeated cyclically to fill the image.
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_check.hpp"
#include "watermark/image_watermark.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  // Sizes up to 511 reach every path (too small, lattice search, nominal lattice only).
  const int width = 1 + data[0] * 2;
  const int height = 1 + data[1] * 2;
  const int channels = data[2] % 3 == 0 ? 1 : (data[2] % 3 == 1 ? 3 : 4);
  cv::Mat image(height, width, CV_8UC(channels));
  const std::size_t pixel_bytes = size - 3;
  std::size_t at = 0;
  for (int y = 0; y < height; ++y) {
    std::uint8_t* row = image.ptr<std::uint8_t>(y);
    for (int x = 0; x < width * channels; ++x) {
      row[x] = data[3 + at];
      at = at + 1 == pixel_bytes ? 0 : at + 1;
    }
  }
  static const synthgate::SecretBytes key(std::vector<std::uint8_t>(32, 0x5a));
  auto reading = synthgate::watermark::read_image_watermark(image, key);
  FUZZ_CHECK(reading.has_value());
  FUZZ_CHECK(!reading->found);
  FUZZ_CHECK(reading->payload == 0 && reading->bit_errors == 0 && reading->confidence == 0.0);
  return 0;
}
