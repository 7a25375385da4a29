// media::read_jpeg_settings on arbitrary bytes: never crashes; what it reads is in range.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/jpeg_quality.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto settings = synthgate::media::read_jpeg_settings(synthgate::ByteView(data, size));
  if (!settings) return 0;
  FUZZ_CHECK(settings->quality >= 1 && settings->quality <= 100);
  FUZZ_CHECK(settings->luma_h >= 1 && settings->luma_h <= 15);
  FUZZ_CHECK(settings->luma_v >= 1 && settings->luma_v <= 15);
  FUZZ_CHECK(!settings->subsampling.empty());
  return 0;
}
