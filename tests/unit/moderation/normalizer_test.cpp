#include "moderation/normalizer.hpp"

#include <gtest/gtest.h>

#include "moderation/utf8.hpp"
#include "shared_tables.hpp"

namespace synthgate::moderation {
namespace {

std::string norm(std::string_view text, NormalizerOptions options = {}) {
  return normalize(*testing::shared_tables(), options, text).bytes;
}

TEST(Normalizer, FoldsWidthCaseAndStyledForms) {
  EXPECT_EQ(norm("ＡＢＣ１２３"), "abc123");
  EXPECT_EQ(norm("Ⓕⓤc⒦"), "fuck");
  EXPECT_EQ(norm("𝐇𝕖𝕃𝙿"), "help");
  EXPECT_EQ(norm("⓿⁹₈③⑸⒋➃"), "0983544");
  EXPECT_EQ(norm("㊄㈤"), "五");
}

TEST(Normalizer, FoldsTraditionalToSimplified) {
  EXPECT_EQ(norm("說話體驗"), "说话体验");
  EXPECT_EQ(norm("蟲國門"), "虫国门");
  EXPECT_EQ(norm("简体不变"), "简体不变");
}

TEST(Normalizer, DropsFormatCharactersAndShortSeparatorRuns) {
  EXPECT_EQ(norm("傻\u200b逼"), "傻逼");
  EXPECT_EQ(norm("傻\u200d\ufe0f逼"), "傻逼");
  EXPECT_EQ(norm("傻@冒"), "傻冒");
  EXPECT_EQ(norm("傻.*逼"), "傻逼");
  // A run longer than the gap is a break no term can span.
  EXPECT_EQ(norm("傻    逼"), "傻\n逼");
  EXPECT_EQ(norm("傻    逼", {.max_separator_gap = 4}), "傻逼");
}

TEST(Normalizer, CollapsesRepeatsButNotDigits) {
  EXPECT_EQ(norm("傻傻傻逼逼"), "傻逼");
  EXPECT_EQ(norm("13800000000"), "13800000000");
  EXPECT_EQ(norm("傻傻逼", {.collapse_repeats = false}), "傻傻逼");
}

TEST(Normalizer, MapsEveryCharacterBackToItsOriginalBytes) {
  const std::string text = "a傻 \u200b傻逼";
  const auto n = normalize(*testing::shared_tables(), {}, text);
  ASSERT_EQ(n.chars.size(), 3U);
  EXPECT_EQ(n.chars[0].source_begin, 0U);
  EXPECT_EQ(n.chars[1].source_begin, 1U);
  EXPECT_EQ(n.chars[1].source_end, text.find("逼"));  // the repeat is inside its span
  EXPECT_NE(n.chars[1].flags & kRepeatCollapsed, 0);
  EXPECT_EQ(n.chars[2].source_end, text.size());
  // Every byte of the normalised text leads back to its character.
  EXPECT_EQ(n.char_at(0), 0U);
  for (std::size_t b = 1; b < 4; ++b) EXPECT_EQ(n.char_at(b), 1U) << b;
  for (std::size_t b = 4; b < n.bytes.size(); ++b) EXPECT_EQ(n.char_at(b), 2U) << b;
}

TEST(Normalizer, ChunksGiveTheSameResultAsTheWhole) {
  const std::string text = "ＡＢ說 \u200b話傻傻傻逼 13800138000";
  const auto whole = normalize(*testing::shared_tables(), {}, text);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    Normalizer n(*testing::shared_tables(), {});
    n.feed(std::string_view(text).substr(0, cut));
    n.feed(std::string_view(text).substr(cut));
    n.finish();
    ASSERT_EQ(n.text().bytes, whole.bytes) << "cut at " << cut;
    ASSERT_EQ(n.text().chars.back().source_end, whole.chars.back().source_end);
  }
}

TEST(Normalizer, SurvivesMalformedUtf8) {
  const std::string text = "\xff\xfe傻\xe5\x82逼\xe5";
  const auto n = normalize(*testing::shared_tables(), {}, text);
  EXPECT_NE(n.bytes.find("傻"), std::string::npos);
  for (const auto& c : n.chars) EXPECT_LE(c.source_end, text.size());
}

TEST(CharacterTables, ReadsToneLessPinyin) {
  const auto& t = *testing::shared_tables();
  EXPECT_EQ(t.pinyin(U'说'), "shuo");
  EXPECT_EQ(t.pinyin(U'绿'), "lv");
  EXPECT_EQ(t.pinyin(U'a'), "");
}

}  // namespace
}  // namespace synthgate::moderation
