// FLV tags and AMF0 onMetaData over arbitrary bytes: tags lie end to end inside the file; the
// FLV label handler, when it accepts a file, writes a label that reads back exactly once and
// leaves the content digest unchanged.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/flv_tags.hpp"
#include "metadata/flv_label.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate;
  const ByteView file(data, size);
  (void)media::parse_on_metadata(file);
  auto layout = media::walk_flv(file);
  if (!layout) return 0;
  std::size_t next = layout->body_offset;
  for (const auto& t : layout->tags) {
    FUZZ_CHECK(t.offset == next && t.end() <= size);
    next = t.end();
  }
  FUZZ_CHECK(next == size);
  const metadata::FlvLabelHandler flv;
  const std::string label = R"({"Label":"1","ContentProducer":"fuzz"})";
  auto out = flv.write_label(file, label, {});
  if (!out) return 0;
  auto labels = flv.read_labels(*out);
  FUZZ_CHECK(labels && labels->size() == 1 && labels->front() == label);
  FUZZ_CHECK(*flv.content_digest(file) == *flv.content_digest(*out));
  return 0;
}
