// The whole text check (normaliser, Hyperscan over the normalised and phonetic streams,
// personal data) on arbitrary bytes: every span lies inside the input, and the text fed in
// two chunks gives the same decision as the text fed whole.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_check.hpp"
#include "moderation/text_moderator.hpp"

namespace {

std::shared_ptr<const synthgate::moderation::TextModerator> moderator;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace synthgate::moderation;
  auto tables = load_character_tables({});
  auto lexicon = parse_lexicon(
      "法轮功\tA.1.1\tblock\tinitials\n傻逼\tA.2.3\tblock\n赌博网站\tA.1.6\treview\n"
      "ab\tA.2.3\treview\n法轮功学术研究\t-\tallow\n",
      "fuzz.tsv");
  if (!tables || !lexicon) std::abort();
  auto built = TextModerator::build(*tables, *lexicon, {});
  if (!built) std::abort();
  moderator = *built;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::moderation;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ScanScratch scratch;
  FUZZ_CHECK(moderator->prepare(scratch));
  auto whole = moderator->check(text, scratch);
  FUZZ_CHECK(whole);
  for (const auto& m : whole->matches) FUZZ_CHECK(m.start <= m.end && m.end <= size);
  auto stream = moderator->open_stream();
  const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
  FUZZ_CHECK(stream->feed(text.substr(0, cut), scratch));
  FUZZ_CHECK(stream->feed(text.substr(cut), scratch));
  FUZZ_CHECK(stream->finish(scratch));
  FUZZ_CHECK(stream->decision().decision == whole->decision);
  return 0;
}
