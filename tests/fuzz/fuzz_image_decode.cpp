// media::decode_image on arbitrary bytes: never crashes; whatever decodes is 8-bit with
// 1, 3 or 4 channels and a format that matches its signature, and encodes again.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/image_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const synthgate::ByteView bytes(data, size);
  auto image = synthgate::media::decode_image(bytes, 4'000'000);
  if (!image) return 0;
  FUZZ_CHECK(image->pixels.depth() == CV_8U);
  const int channels = image->pixels.channels();
  FUZZ_CHECK(channels == 1 || channels == 3 || channels == 4);
  FUZZ_CHECK(image->pixels.total() <= 4'000'000);
  auto sniffed = synthgate::media::sniff_image_format(bytes);
  FUZZ_CHECK(sniffed && *sniffed == image->format);
  FUZZ_CHECK(synthgate::media::encode_image(image->pixels, synthgate::media::ImageFormat::kPng));
  return 0;
}
