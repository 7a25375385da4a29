// EBML (Matroska, WebM) over arbitrary bytes: accepted elements lie end to end inside the
// data; the Matroska label handler, when it accepts a file, writes a label that reads back
// exactly once and leaves the content digest unchanged.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/matroska_elements.hpp"
#include "metadata/matroska_label.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate;
  const ByteView file(data, size);
  if (auto elements = media::walk_ebml(file)) {
    std::size_t next = 0;
    for (const auto& e : *elements) {
      FUZZ_CHECK(e.offset == next && e.end() <= size);
      next = e.end();
    }
    FUZZ_CHECK(next == size);
  }
  const metadata::MatroskaLabelHandler mkv;
  const std::string label = R"({"Label":"1","ContentProducer":"fuzz"})";
  auto out = mkv.write_label(file, label, {});
  if (!out) return 0;
  auto labels = mkv.read_labels(*out);
  FUZZ_CHECK(labels && labels->size() == 1 && labels->front() == label);
  FUZZ_CHECK(*mkv.content_digest(file) == *mkv.content_digest(*out));
  return 0;
}
