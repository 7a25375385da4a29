#include "moderation/text_moderator.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "moderation/active_lexicon.hpp"
#include "shared_tables.hpp"

namespace synthgate::moderation {
namespace {

constexpr std::string_view kLexicon =
    "法轮功\tA.1.1\tblock\n"
    "赌博网站\tA.1.6\treview\n"
    "政府\tA.1.1\treview\tinitials\n"
    "傻逼\tA.2.3\tblock\n"
    "法轮功学术研究\t-\tallow\n";

std::shared_ptr<const TextModerator> moderator(std::string_view lexicon = kLexicon,
                                               TextModerationOptions options = {}) {
  auto lex = parse_lexicon(lexicon, "test.tsv");
  EXPECT_TRUE(lex);
  auto m = TextModerator::build(testing::shared_tables(), *lex, options);
  EXPECT_TRUE(m) << (m ? "" : m.error().message);
  return *m;
}

std::vector<std::string_view> found_by(const TextMatch& m) {
  return technique_names(m.techniques);
}

TEST(TextModerator, PassesOrdinaryText) {
  auto d = moderator()->check("今天天气很好，我们去公园散步吧。");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->decision, Decision::kPass);
  EXPECT_TRUE(d->matches.empty());
}

TEST(TextModerator, ReportsTermCategoryOriginalSpanAndHowItWasFound) {
  const std::string text = "他在宣传 法 輪\u200b功 的东西";
  auto d = moderator()->check(text);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->decision, Decision::kBlock);
  ASSERT_EQ(d->matches.size(), 1U);
  const auto& m = d->matches[0];
  EXPECT_EQ(m.term, "法轮功");
  EXPECT_EQ(m.category, "A.1.1");
  EXPECT_EQ(text.substr(m.start, m.end - m.start), "法 輪\u200b功");
  EXPECT_EQ(found_by(m), (std::vector<std::string_view>{"traditional", "zero_width", "separator"}));
}

TEST(TextModerator, ExactMatchSaysExact) {
  auto d = moderator()->check("傻逼");
  ASSERT_TRUE(d);
  ASSERT_EQ(d->matches.size(), 1U);
  EXPECT_EQ(found_by(d->matches[0]), (std::vector<std::string_view>{"exact"}));
  EXPECT_EQ(d->matches[0].start, 0U);
}

TEST(TextModerator, ReviewTermsGiveReview) {
  auto d = moderator()->check("这是个賭博網站");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->decision, Decision::kReview);
}

TEST(TextModerator, AllowListTermSuppressesTheMatchItCovers) {
  auto d = moderator()->check("关于法轮功学术研究的综述");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->decision, Decision::kPass);
  auto again = moderator()->check("法轮功学术研究，还有法轮功");
  ASSERT_TRUE(again);
  ASSERT_EQ(again->matches.size(), 1U);
  EXPECT_EQ(again->matches[0].start, std::string("法轮功学术研究，还有").size());
}

TEST(TextModerator, FindsPinyinHomophonesAndInitials) {
  auto m = moderator();
  const auto first = [&m](std::string_view text) {
    auto d = m->check(text);
    EXPECT_TRUE(d);
    return d && !d->matches.empty() ? d->matches[0] : TextMatch{};
  };
  EXPECT_EQ(first("我练 falungong 很久了").term, "法轮功");
  EXPECT_EQ(found_by(first("我练 falungong 很久了")), (std::vector<std::string_view>{"pinyin"}));
  EXPECT_EQ(found_by(first("我练 Fa Lun Gong")),
            (std::vector<std::string_view>{"case", "separator", "pinyin"}));
  EXPECT_EQ(found_by(first("发伦工")), (std::vector<std::string_view>{"homophone"}));
  EXPECT_EQ(found_by(first("批评 ZF 的做法")), (std::vector<std::string_view>{"case", "initials"}));
  // Not inside a longer Latin word, not across syllables, not for initials without the flag.
  EXPECT_TRUE(m->check("the falungonger")->matches.empty());
  EXPECT_TRUE(m->check("sb")->matches.empty());
}

TEST(TextModerator, FindsPersonalDataAndMasksIt) {
  const std::string text = "电话13812345678，身份证11010519491231002X";
  auto d = moderator()->check(text);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->decision, Decision::kBlock);  // resident IDs block by default
  ASSERT_EQ(d->matches.size(), 2U);
  EXPECT_EQ(d->matches[0].term, "mobile_number");
  EXPECT_EQ(action_name(d->matches[0].action), "mask");
  EXPECT_EQ(d->masked_text, "电话***********，身份证11010519491231002X");
  TextModerationOptions quiet;
  quiet.detect_personal_data = false;
  EXPECT_EQ(moderator(kLexicon, quiet)->check(text)->decision, Decision::kPass);
}

TEST(TextModerator, RefusesTermsWithNothingToMatch) {
  auto lex = parse_lexicon("@@@\tA.1.1\tblock\n", "x.tsv");
  ASSERT_TRUE(lex);
  auto m = TextModerator::build(testing::shared_tables(), *lex, {});
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("x.tsv:1"), std::string::npos);
}

TEST(TextStream, FindsATermSplitAcrossChunksOnce) {
  auto m = moderator();
  ScanScratch scratch;
  ASSERT_TRUE(m->prepare(scratch));
  const std::string text = "前面的话法輪功后面的话，还有 fa lun gong";
  for (std::size_t cut = 1; cut < text.size(); ++cut) {
    auto stream = m->open_stream();
    ASSERT_TRUE(stream->feed(text.substr(0, cut), scratch));
    ASSERT_TRUE(stream->feed(text.substr(cut), scratch));
    ASSERT_TRUE(stream->finish(scratch));
    const auto& d = stream->decision();
    ASSERT_EQ(d.matches.size(), 2U) << "cut at " << cut;
    EXPECT_EQ(text.substr(d.matches[0].start, d.matches[0].end - d.matches[0].start), "法輪功");
  }
}

TEST(TextStream, WaitsForTheNextChunkBeforeAcceptingPinyinAtTheEnd) {
  auto m = moderator();
  ScanScratch scratch;
  ASSERT_TRUE(m->prepare(scratch));
  auto stream = m->open_stream();
  ASSERT_TRUE(stream->feed("练 falungong", scratch));
  ASSERT_TRUE(stream->feed("er 的事", scratch));  // "falungonger" is another word
  ASSERT_TRUE(stream->finish(scratch));
  EXPECT_EQ(stream->decision().decision, Decision::kPass);
  auto again = m->open_stream();
  ASSERT_TRUE(again->feed("练 falungong", scratch));
  ASSERT_TRUE(again->finish(scratch));
  EXPECT_EQ(again->decision().decision, Decision::kBlock);
}

TEST(TextModerator, InitialsMatchOnlyAsAWordOfLetters) {
  auto m = moderator();
  EXPECT_EQ(m->check("z.f 不行")->matches.size(), 1U);  // a skipped separator is a word edge
  EXPECT_EQ(m->check("说zf")->matches.size(), 1U);      // an ideograph is a word edge
  EXPECT_TRUE(m->check("xzf")->matches.empty());
  EXPECT_TRUE(m->check("zfy 的")->matches.empty());
  EXPECT_EQ(m->check("zf2")->matches.size(), 1U);  // a digit is not a letter
}

TEST(TextStream, WaitsForTheNextChunkBeforeAcceptingInitialsAtTheEnd) {
  auto m = moderator();
  ScanScratch scratch;
  ASSERT_TRUE(m->prepare(scratch));
  auto stream = m->open_stream();
  ASSERT_TRUE(stream->feed("批评 z", scratch));
  ASSERT_TRUE(stream->feed("f", scratch));
  ASSERT_TRUE(stream->feed("y 的事", scratch));  // "zfy" is another word
  ASSERT_TRUE(stream->finish(scratch));
  EXPECT_EQ(stream->decision().decision, Decision::kPass);
  auto again = m->open_stream();
  ASSERT_TRUE(again->feed("批评 z", scratch));
  ASSERT_TRUE(again->feed("f", scratch));
  ASSERT_TRUE(again->finish(scratch));
  ASSERT_EQ(again->decision().matches.size(), 1U);
  EXPECT_EQ(again->decision().matches[0].term, "政府");
  EXPECT_EQ(again->decision().decision, Decision::kReview);
}

TEST(TextStream, HoldsAMatchBackUntilNoAllowTermCanCoverIt) {
  auto m = moderator();
  ScanScratch scratch;
  ASSERT_TRUE(m->prepare(scratch));
  auto stream = m->open_stream();
  auto first = stream->feed("法轮功", scratch);
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->empty());
  ASSERT_TRUE(stream->feed("学术研究", scratch));
  ASSERT_TRUE(stream->finish(scratch));
  EXPECT_EQ(stream->decision().decision, Decision::kPass);
}

TEST(ActiveLexicon, ReloadSwapsWithoutDisturbingRequestsInFlight) {
  ActiveLexicon active(moderator("甲乙丙\tA.1.1\tblock\n"));
  auto in_flight = active.current();
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::thread reader([&] {
    while (!stop) {
      auto m = active.current();
      auto d = m->check("甲乙丙丁戊己");
      if (!d) ++failures;
    }
  });
  for (int i = 0; i < 5; ++i) active.replace(moderator("丁戊己\tA.1.1\treview\n"));
  stop = true;
  reader.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(in_flight->check("甲乙丙")->decision, Decision::kBlock);
  EXPECT_EQ(active.current()->check("甲乙丙")->decision, Decision::kPass);
  EXPECT_EQ(active.current()->check("丁戊己")->decision, Decision::kReview);
}

// What settled_bytes allows to be shown early never holds any part of a match, however the
// text is cut, and it does not hold back everything either.
TEST(TextStream, SettledPrefixNeverReachesAMatch) {
  const auto m = moderator();
  const std::string text =
      "今天天气很好，我们去公园散步吧。然后有人说法\xe2\x80\x8b轮功和傻傻傻逼，还有falungong，"
      "最后法轮功学术研究也被提到了，天气依然很好，我们回家了。";
  const auto whole = m->check(text);
  ASSERT_TRUE(whole);
  ASSERT_GE(whole->matches.size(), 3u);
  for (std::size_t step : {1u, 2u, 3u, 5u, 7u}) {
    ScanScratch scratch;
    ASSERT_TRUE(m->prepare(scratch));
    auto stream = m->open_stream();
    std::size_t settled = 0;
    std::size_t most = 0;
    for (std::size_t i = 0; i < text.size(); i += step) {
      auto found = stream->feed(std::string_view(text).substr(i, step), scratch);
      ASSERT_TRUE(found);
      for (const auto& match : *found) EXPECT_GE(match.start, settled) << match.term;
      const auto next = stream->settled_bytes();
      EXPECT_GE(next, settled);
      EXPECT_LE(next, std::min(text.size(), i + step));
      settled = next;
      most = std::max(most, settled);
    }
    auto rest = stream->finish(scratch);
    ASSERT_TRUE(rest);
    for (const auto& match : *rest) EXPECT_GE(match.start, settled) << match.term;
    EXPECT_EQ(stream->decision().decision, whole->decision);
    EXPECT_GT(most, text.size() / 2) << "step " << step;
  }
}

}  // namespace
}  // namespace synthgate::moderation
