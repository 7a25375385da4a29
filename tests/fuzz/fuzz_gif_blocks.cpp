// walk_gif over arbitrary bytes: no crash, and the blocks it returns tile the file from the
// end of the header to the trailer.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/gif_blocks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using synthgate::media::GifBlock;
  auto layout = synthgate::media::walk_gif(synthgate::ByteView(data, size));
  if (!layout) return 0;
  std::size_t next = layout->header_size;
  bool image = false;
  for (const auto& b : layout->blocks) {
    FUZZ_CHECK(b.offset == next && b.size > 0 && b.offset + b.size <= size);
    if (!b.application.empty()) FUZZ_CHECK(b.payload_offset <= b.offset + b.size);
    image = image || b.kind == GifBlock::Kind::kImage;
    next = b.offset + b.size;
  }
  FUZZ_CHECK(image && layout->blocks.back().kind == GifBlock::Kind::kTrailer);
  return 0;
}
