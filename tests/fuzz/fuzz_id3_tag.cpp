// ID3v2 tags and MPEG audio frames over arbitrary bytes: frames lie inside the tag and the
// tag inside the file; TXXX frames parse or are refused without a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/id3_tag.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate;
  const ByteView file(data, size);
  auto tag = media::parse_id3v2(file);
  if (!tag) return 0;
  std::size_t audio = 0;
  if (*tag) {
    const media::Id3Tag& t = **tag;
    FUZZ_CHECK(t.size <= size);
    for (const auto& f : t.frames) {
      FUZZ_CHECK(f.data_offset == f.offset + 10 && f.data_offset + f.data_size <= t.size);
      if (f.id == "TXXX") (void)media::parse_user_text(file.subspan(f.data_offset, f.data_size));
    }
    audio = t.size;
  }
  (void)media::walk_mpeg_audio(file.subspan(audio));
  return 0;
}
