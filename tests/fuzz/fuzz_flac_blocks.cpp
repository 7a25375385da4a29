// FLAC metadata blocks, frame checks and Vorbis comments over arbitrary bytes: blocks lie
// inside the file, end to end, and the audio starts after the last one.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/flac_blocks.hpp"
#include "media/vorbis_comment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate;
  const ByteView file(data, size);
  if (auto comment = media::parse_vorbis_comment(file)) {
    FUZZ_CHECK(comment->size <= size);
    auto again = media::parse_vorbis_comment(media::serialize_vorbis_comment(*comment));
    FUZZ_CHECK(again && again->comments == comment->comments && again->vendor == comment->vendor);
  }
  auto layout = media::walk_flac(file);
  if (!layout) return 0;
  std::size_t next = 4;
  for (const auto& b : layout->blocks) {
    FUZZ_CHECK(b.offset == next && b.data_offset == b.offset + 4 &&
               b.data_offset + b.data_size <= size);
    next = b.data_offset + b.data_size;
  }
  FUZZ_CHECK(layout->audio_offset == next && next <= size);
  return 0;
}
