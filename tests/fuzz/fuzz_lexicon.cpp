// parse_lexicon on arbitrary bytes: it either refuses with a message naming the line, or
// every entry it returns is well formed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "moderation/lexicon.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto lexicon = synthgate::moderation::parse_lexicon(text, "fuzz.tsv");
  if (!lexicon) {
    FUZZ_CHECK(lexicon.error().message.starts_with("fuzz.tsv:"));
    return 0;
  }
  for (const auto& e : lexicon->entries) {
    FUZZ_CHECK(!e.term.empty() && e.term.size() <= 256);
    FUZZ_CHECK(!e.category.empty() && e.category.size() <= 64);
    FUZZ_CHECK(e.term.find('\t') == std::string::npos);
  }
  return 0;
}
