// Ogg pages over arbitrary bytes: accepted pages lie end to end inside the file; the Ogg label
// handler, when it accepts a file, writes pages that walk again (every CRC right) and a label
// that reads back exactly once.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/ogg_pages.hpp"
#include "metadata/ogg_label.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate;
  const ByteView file(data, size);
  auto pages = media::walk_ogg(file);
  if (!pages) return 0;
  std::size_t next = 0;
  for (const auto& p : *pages) {
    FUZZ_CHECK(p.offset == next && p.data_offset + p.data_size == p.offset + p.size);
    next = p.offset + p.size;
  }
  FUZZ_CHECK(next == size);
  const metadata::OggLabelHandler ogg;
  const std::string label = R"({"Label":"1","ContentProducer":"fuzz"})";
  auto out = ogg.write_label(file, label, {});
  if (!out) return 0;
  FUZZ_CHECK(media::walk_ogg(*out).has_value());
  auto labels = ogg.read_labels(*out);
  FUZZ_CHECK(labels && labels->size() == 1 && labels->front() == label);
  FUZZ_CHECK(*ogg.content_digest(file) == *ogg.content_digest(*out));
  return 0;
}
