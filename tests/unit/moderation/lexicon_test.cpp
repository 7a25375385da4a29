#include "moderation/lexicon.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace synthgate::moderation {
namespace {

TEST(Lexicon, ParsesTermsActionsAndFlags) {
  auto lex = parse_lexicon(
      "# comment\n\n法轮功\tA.1.1\tblock\n赌博\tA.1.6\treview\tinitials\n法轮功学\t-\tallow\r\n"
      "习近平\tA.1.1\tblock\tinitials,no_phonetic\n",
      "t.tsv");
  ASSERT_TRUE(lex) << lex.error().message;
  ASSERT_EQ(lex->entries.size(), 4U);
  EXPECT_EQ(lex->entries[0].term, "法轮功");
  EXPECT_EQ(lex->entries[0].category, "A.1.1");
  EXPECT_EQ(lex->entries[1].action, TermAction::kReview);
  EXPECT_TRUE(lex->entries[1].initials);
  EXPECT_EQ(lex->entries[2].action, TermAction::kAllow);
  EXPECT_FALSE(lex->entries[3].phonetic);
  EXPECT_EQ(lex->entries[3].source, "t.tsv:6");
}

TEST(Lexicon, RefusesMalformedLinesWithTheirLineNumber) {
  const auto error = [](std::string_view text) {
    auto lex = parse_lexicon(text, "bad.tsv");
    EXPECT_FALSE(lex);
    return lex ? std::string() : lex.error().message;
  };
  EXPECT_EQ(error("a\tb\n"),
            "bad.tsv:1: expected term<TAB>category<TAB>action[<TAB>flags], got 2 field(s)");
  EXPECT_EQ(error("ok\tc\tblock\nx\tc\tdelete\n"),
            "bad.tsv:2: action must be block, review or allow, not 'delete'");
  EXPECT_NE(error("\tc\tblock\n").find("term must be"), std::string::npos);
  EXPECT_NE(error("a\t\tblock\n").find("category must be"), std::string::npos);
  EXPECT_NE(error("a\tc\tblock\tloud\n").find("unknown flag 'loud'"), std::string::npos);
  EXPECT_NE(error("\xff\tc\tblock\n").find("UTF-8"), std::string::npos);
}

TEST(Lexicon, ReadsAndMergesFiles) {
  testing::TempDir dir;
  std::ofstream(dir / "a.tsv") << "甲乙\tA.1.1\tblock\n";
  std::ofstream(dir / "b.tsv") << "丙丁\tA.2.1\treview\n";
  auto a = read_lexicon_file(dir / "a.tsv");
  auto b = read_lexicon_file(dir / "b.tsv");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(merge_lexicons({*a, *b}).entries.size(), 2U);
  auto missing = read_lexicon_file(dir / "none.tsv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace synthgate::moderation
