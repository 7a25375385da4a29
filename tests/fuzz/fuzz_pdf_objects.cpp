// The PDF cross-reference walker, object reader and string decoder over arbitrary bytes:
// no crash, no hang, offsets inside the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/pdf_objects.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::media;
  const synthgate::ByteView file(data, size);
  const std::string_view text = synthgate::as_chars(file);
  if (auto dict = parse_pdf_dictionary(text)) {
    for (const auto& [key, value] : *dict) {
      FUZZ_CHECK(value.size() <= size);
      (void)pdf_string_bytes(value);
      (void)pdf_reference(value);
    }
  }
  auto layout = walk_pdf(file);
  if (!layout) return 0;
  FUZZ_CHECK(layout->startxref < size && layout->end <= size);
  int tried = 0;
  for (const auto& [number, entry] : layout->objects) {
    if (!entry.in_object_stream) FUZZ_CHECK(entry.offset < size);
    if (++tried > 32) break;
    (void)pdf_object(file, *layout, number);
  }
  return 0;
}
