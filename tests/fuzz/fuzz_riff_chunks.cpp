// walk_riff over arbitrary bytes: no crash, and the chunks it returns lie inside the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/riff_chunks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const synthgate::ByteView file(data, size);
  auto layout = synthgate::media::walk_riff(file);
  if (!layout) return 0;
  std::size_t next = 12;
  for (const auto& c : layout->chunks) {
    FUZZ_CHECK(c.offset == next);
    FUZZ_CHECK(c.data_offset + c.data_size <= size && c.offset + c.size <= size);
    next = c.offset + c.size;
  }
  return 0;
}
