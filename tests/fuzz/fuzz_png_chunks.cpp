// walk_png over arbitrary bytes: no crash, and the chunks it returns tile the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/png_chunks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const synthgate::ByteView file(data, size);
  auto chunks = synthgate::media::walk_png(file);
  if (!chunks) return 0;
  std::size_t next = synthgate::media::kPngSignature.size();
  for (const auto& c : *chunks) {
    FUZZ_CHECK(c.offset == next);
    FUZZ_CHECK(c.size == c.data_size + 12 && c.offset + c.size <= size);
    next = c.offset + c.size;
  }
  FUZZ_CHECK(chunks->front().type == "IHDR" && chunks->back().type == "IEND");
  return 0;
}
