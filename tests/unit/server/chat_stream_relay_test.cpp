#include "server/chat_stream_relay.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/moderation/shared_tables.hpp"

namespace synthgate::server {
namespace {

using nlohmann::json;

std::shared_ptr<const moderation::TextModerator> moderator(
    std::string_view terms = "法轮功\tA.1.1\tblock\n") {
  auto lexicon = moderation::parse_lexicon(terms, "test.tsv");
  EXPECT_TRUE(lexicon);
  auto built = moderation::TextModerator::build(testing::shared_tables(), *lexicon, {});
  EXPECT_TRUE(built);
  return *built;
}

std::string event(const std::string& delta) {
  const json chunk = {
      {"id", "c1"},
      {"object", "chat.completion.chunk"},
      {"choices", {{{"index", 0}, {"delta", {{"content", delta}}}, {"finish_reason", nullptr}}}}};
  return "data: " + chunk.dump() + "\n\n";
}

std::unique_ptr<ChatStreamRelay> relay() {
  StreamRelayOptions options;
  options.refusal = "REFUSED";
  auto opened = ChatStreamRelay::open(moderator(), options);
  EXPECT_TRUE(opened);
  return std::move(*opened);
}

TEST(ChatStreamRelay, SendsSettledTextBeforeTheAnswerEnds) {
  auto r = relay();
  const std::string first = "今天天气很好，我们去公园散步吧。公园里有很多花，也有很多人在跑步。";
  const std::string out = r->feed(event(first));
  // Everything but the last few characters is out already, after the label.
  EXPECT_NE(out.find(labels::kDefaultTextWording), std::string::npos) << out;
  EXPECT_NE(out.find("我们去公园散步吧"), std::string::npos) << out;
  EXPECT_EQ(out.find("在跑步"), std::string::npos) << out;
  const std::string rest = r->feed("data: [DONE]\n\n");
  EXPECT_NE(rest.find("在跑步"), std::string::npos);
  EXPECT_TRUE(rest.ends_with("data: [DONE]\n\n"));
  EXPECT_FALSE(r->cut());
}

// Whatever the upstream's byte boundaries, not one byte of the banned term goes out.
TEST(ChatStreamRelay, NeverSendsAnyPartOfABlockedTerm) {
  const std::string upstream = event("一段很长的正常开头，说了不少无关紧要的话，然后是法") +
                               event("轮") + event("功以及后面的内容") + "data: [DONE]\n\n";
  for (std::size_t piece = 1; piece <= upstream.size(); piece += 7) {
    auto r = relay();
    std::string out;
    for (std::size_t i = 0; i < upstream.size() && !r->done(); i += piece) {
      out += r->feed(std::string_view(upstream).substr(i, piece));
    }
    out += r->finish();
    EXPECT_TRUE(r->cut());
    EXPECT_EQ(out.find("法"), std::string::npos) << out;
    EXPECT_EQ(out.find("后面的内容"), std::string::npos);
    EXPECT_NE(out.find("REFUSED"), std::string::npos);
    EXPECT_NE(out.find("\"finish_reason\":\"content_filter\""), std::string::npos);
    EXPECT_TRUE(out.ends_with("data: [DONE]\n\n"));
  }
}

TEST(ChatStreamRelay, DropsUnmoderatedDeltaFieldsAndBadEvents) {
  auto r = relay();
  const json reasoning = {
      {"choices",
       {{{"index", 0}, {"delta", {{"reasoning_content", "法轮功"}}}, {"finish_reason", nullptr}}}}};
  const std::string out = r->feed("data: " + reasoning.dump() + "\n\n");
  EXPECT_EQ(out.find("reasoning"), std::string::npos) << out;
  const std::string bad = r->feed("data: not json\n\n");
  EXPECT_NE(bad.find("\"error\""), std::string::npos);
  EXPECT_TRUE(r->done());
  EXPECT_TRUE(r->failed());
}

TEST(ChatStreamRelay, EndLabelFollowsTheTextAndReviewBlocksWhenConfigured) {
  StreamRelayOptions options;
  options.label.placement = labels::TextPlacement::kEnd;
  auto labelled = ChatStreamRelay::open(moderator(), options);
  ASSERT_TRUE(labelled);
  std::string out = (*labelled)->feed(event("有很多人在跑步。赌博网站也被提到。"));
  out += (*labelled)->feed("data: [DONE]\n\n");
  EXPECT_FALSE((*labelled)->cut());
  const auto label = out.find(labels::kDefaultTextWording);
  ASSERT_NE(label, std::string::npos) << out;
  EXPECT_GT(label, out.find("也被提到")) << out;

  options.block_on_review = true;
  options.refusal = "REFUSED";
  auto strict = ChatStreamRelay::open(moderator("赌博网站\tA.1.6\treview\n"), options);
  ASSERT_TRUE(strict);
  out = (*strict)->feed(event("有很多人在跑步。赌博网站也被提到。"));
  out += (*strict)->finish();
  EXPECT_TRUE((*strict)->cut());
  EXPECT_EQ(out.find("赌博"), std::string::npos) << out;
  EXPECT_NE(out.find("REFUSED"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::server
