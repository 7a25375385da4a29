// The text labeller, the stream labeller and the checker on arbitrary bytes: no crash, the
// labelled plain text always passes the checker, and streaming a text in two chunks gives the
// same bytes as labelling it whole.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "labels/stream_labeller.hpp"
#include "labels/text_label.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::labels;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto format = sniff_text_format(text);
  for (const TextFormat f : {TextFormat::kPlain, TextFormat::kMarkdown, TextFormat::kHtml}) {
    (void)find_text_label(text, f);
  }
  if (!format) return 0;
  for (const TextPlacement p : {TextPlacement::kStart, TextPlacement::kEnd, TextPlacement::kBoth}) {
    const TextLabelOptions options{"AI生成", p};
    for (const TextFormat f : {TextFormat::kPlain, TextFormat::kMarkdown, TextFormat::kHtml}) {
      auto labelled = label_text(text, f, options);
      FUZZ_CHECK(labelled);
      FUZZ_CHECK(labelled->size() > text.size());
      (void)find_text_label(*labelled, f);
    }
    auto plain = label_text(text, TextFormat::kPlain, options);
    FUZZ_CHECK(find_text_label(*plain, TextFormat::kPlain).conforming);

    auto stream = StreamLabeller::open(TextFormat::kPlain, options);
    FUZZ_CHECK(stream);
    const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
    std::string streamed = stream->push(text.substr(0, cut));
    streamed += stream->push(text.substr(cut));
    streamed += stream->finish();
    FUZZ_CHECK(streamed == *plain);
  }
  return 0;
}
