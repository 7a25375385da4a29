// A lexicon of 200,000 terms (the figure) builds, and every term in it is found.
// Not in the `unit` label: the Hyperscan compile takes tens of seconds and most of a
// gigabyte, too much to repeat under the sanitizers.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "moderation/text_moderator.hpp"
#include "moderation/utf8.hpp"
#include "shared_tables.hpp"

namespace synthgate::moderation {
namespace {

constexpr std::size_t kTerms = 200'000;

// Distinct three- and four-ideograph terms over the characters that have a reading, split
// into three lexicon files as an operator would keep them.
std::vector<Lexicon> generated_lexicons(const CharacterTables& tables) {
  std::vector<char32_t> chars;
  for (char32_t c = 0x4E00; c <= 0x9FA5; ++c) {
    if (!tables.pinyin(c).empty() && tables.lookup(c).folded == c) chars.push_back(c);
  }
  std::mt19937 rng(7);
  std::set<std::string> seen;
  std::vector<Lexicon> lexicons(3);
  while (seen.size() < kTerms) {
    std::string term;
    const auto length = 3 + rng() % 2;
    for (std::size_t k = 0; k < length; ++k) append_utf8(term, chars[rng() % chars.size()]);
    if (!seen.insert(term).second) continue;
    const auto i = seen.size();
    lexicons[i % 3].entries.push_back({term, i % 2 == 0 ? "A.1.1" : "A.3.2",
                                       i % 7 == 0 ? TermAction::kReview : TermAction::kBlock,
                                       i % 50 == 0, true, "generated:" + std::to_string(i)});
  }
  return lexicons;
}

TEST(LargeLexicon, TwoHundredThousandTermsBuildAndEveryOneIsFound) {
  const auto tables = testing::shared_tables();
  const auto merged = merge_lexicons(generated_lexicons(*tables));
  ASSERT_EQ(merged.entries.size(), kTerms);
  auto moderator = TextModerator::build(tables, merged, {});
  ASSERT_TRUE(moderator) << moderator.error().message;
  EXPECT_EQ((*moderator)->term_count(), kTerms);
  ScanScratch scratch;
  ASSERT_TRUE((*moderator)->prepare(scratch));
  // Every 97th term, embedded in a sentence, is reported with its category and span.
  for (std::size_t i = 0; i < kTerms; i += 97) {
    const auto& entry = merged.entries[i];
    const std::string text = "请看：" + entry.term + "。";
    auto d = (*moderator)->check(text, scratch);
    ASSERT_TRUE(d) << d.error().message;
    const auto hit = std::find_if(d->matches.begin(), d->matches.end(),
                                  [&](const TextMatch& m) { return m.term == entry.term; });
    ASSERT_NE(hit, d->matches.end()) << entry.source;
    EXPECT_EQ(hit->category, entry.category);
    EXPECT_EQ(text.substr(hit->start, hit->end - hit->start), entry.term);
    EXPECT_NE(d->decision, Decision::kPass);
  }
  // Text made of characters no term uses passes.
  auto clean = (*moderator)->check("Hello, world. 1 + 1 = 2.", scratch);
  ASSERT_TRUE(clean);
  EXPECT_EQ(clean->decision, Decision::kPass);
}

}  // namespace
}  // namespace synthgate::moderation
