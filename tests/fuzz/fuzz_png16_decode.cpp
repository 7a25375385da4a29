// The 16-bit PNG path of `synthgate label` on arbitrary bytes: refused or decoded to 16-bit
// pixels that encode again.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/deep_png.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto pixels = synthgate::media::decode_png16({data, size}, 1u << 20);
  if (!pixels) return 0;
  FUZZ_CHECK(pixels->depth() == CV_16U);
  FUZZ_CHECK(synthgate::media::encode_png16(*pixels));
  return 0;
}
