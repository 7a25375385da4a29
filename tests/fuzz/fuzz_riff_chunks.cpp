// walk_riff over arbitrary bytes: no crash, and the chunks it returns lie inside the file;
// the sub-chunks of a LIST chunk (WAV LIST/INFO) lie inside their list.
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
    if (c.id != "LIST" || c.data_size < 4) continue;
    const auto body = file.subspan(c.data_offset + 4, c.data_size - 4);
    auto entries = synthgate::media::walk_riff_chunks(body, c.data_offset + 4);
    if (!entries) continue;
    std::size_t at = c.data_offset + 4;
    for (const auto& e : *entries) {
      FUZZ_CHECK(e.offset == at && e.data_offset + e.data_size <= c.data_offset + c.data_size);
      at = e.offset + e.size;
    }
  }
  return 0;
}
