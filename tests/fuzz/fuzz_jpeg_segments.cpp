// walk_jpeg over arbitrary bytes: no crash, and what it returns lies inside the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/jpeg_segments.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const synthgate::ByteView file(data, size);
  auto layout = synthgate::media::walk_jpeg(file);
  if (!layout) return 0;
  std::size_t end = 2;
  for (const auto& s : layout->segments) {
    FUZZ_CHECK(s.offset >= end);
    FUZZ_CHECK(s.offset + s.size <= size);
    FUZZ_CHECK(s.payload_offset + s.payload_size == s.offset + s.size);
    end = s.offset + s.size;
  }
  FUZZ_CHECK(!layout->segments.empty() && layout->segments.back().marker == 0xda);
  return 0;
}
