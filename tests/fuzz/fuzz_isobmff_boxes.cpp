// ISO-BMFF (MP4/MOV/M4A) over arbitrary bytes: the box walker keeps boxes inside the data
// and end to end, and the streaming MP4 label writer, when it accepts a file, writes a label
// that reads back exactly once.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/isobmff_boxes.hpp"
#include "metadata/mp4_label.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate;
  const ByteView file(data, size);
  if (auto boxes = media::walk_boxes(file)) {
    std::uint64_t next = 0;
    for (const auto& b : *boxes) {
      FUZZ_CHECK(b.offset == next && b.size >= b.header_size && b.offset + b.size <= size);
      next = b.offset + b.size;
    }
  }
  const metadata::Mp4LabelHandler mp4;
  const media::MemorySource source(file);
  (void)mp4.read_labels(source);
  media::MemorySink sink;
  const std::string label = R"({"Label":"1","ContentProducer":"fuzz"})";
  if (!mp4.write_label(source, sink, label, {})) return 0;
  auto labels = mp4.read_labels(media::MemorySource(sink.bytes()));
  FUZZ_CHECK(labels && labels->size() == 1 && labels->front() == label);
  FUZZ_CHECK(*mp4.content_digest(source) == *mp4.content_digest(media::MemorySource(sink.bytes())));
  return 0;
}
