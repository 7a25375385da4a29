// The HTML tag scanner and the Markdown front matter reader over arbitrary text: no crash,
// and every element and entry they return lies inside the text, in order.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/text_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::media;
  const synthgate::ByteView bytes(data, size);
  const std::string_view text = synthgate::as_chars(bytes);
  (void)looks_like_html(bytes);
  (void)looks_like_markdown(bytes);
  if (auto outline = scan_html(text)) {
    FUZZ_CHECK(outline->head_insert_at <= size);
    std::size_t previous = 0;
    for (const auto& m : outline->metas) {
      FUZZ_CHECK(m.offset >= previous && m.offset + m.size <= size && text[m.offset] == '<');
      previous = m.offset + m.size;
    }
  }
  if (auto fm = scan_front_matter(text)) {
    FUZZ_CHECK(fm->open_end <= fm->close_offset && fm->close_offset <= fm->body_offset &&
               fm->body_offset <= size);
    for (const auto& e : fm->entries) {
      FUZZ_CHECK(e.offset >= fm->open_end && e.offset + e.size <= fm->close_offset);
    }
  }
  return 0;
}
