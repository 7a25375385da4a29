#include "moderation/classifier_verdict.hpp"

#include <gtest/gtest.h>

namespace synthgate::moderation {
namespace {

ClassifierPolicy policy() {
  return {{{"violence", 0.5, 0.8, Decision::kBlock},
           {"spam", 0.6, 1.0, Decision::kPass},
           {"*", 0.7, 0.95, Decision::kReview}}};
}

TEST(ClassifierVerdict, ReadsScoresAndRefusesAnythingElse) {
  auto ok = parse_classifier_response(R"({"model":"m1","scores":{"violence":0.25,"spam":1}})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->scores.size(), 2U);
  EXPECT_DOUBLE_EQ(ok->scores.at("violence"), 0.25);
  EXPECT_FALSE(parse_classifier_response("not json"));
  EXPECT_FALSE(parse_classifier_response("[1]"));
  EXPECT_FALSE(parse_classifier_response(R"({"score":{}})"));
  EXPECT_FALSE(parse_classifier_response(R"({"scores":{"a":"high"}})"));
  EXPECT_FALSE(parse_classifier_response(R"({"scores":{"a":1.5}})"));
  EXPECT_FALSE(parse_classifier_response(R"({"scores":{"a":-0.1}})"));
}

TEST(ClassifierVerdict, ScoresBecomeReviewOrBlockPerCategory) {
  const auto matches = classifier_matches(
      policy(),
      ClassifierScores{{{"violence", 0.85}, {"spam", 0.7}, {"fraud", 0.75}, {"hate", 0.1}}}, 12);
  ASSERT_EQ(matches.size(), 3U);  // hate is under the default review threshold
  // std::map order: fraud, spam, violence.
  EXPECT_EQ(matches[0].category, "fraud");
  EXPECT_EQ(matches[0].action, MatchAction::kReview);  // from the "*" rule
  EXPECT_EQ(matches[1].category, "spam");
  EXPECT_EQ(matches[1].action, MatchAction::kReview);
  EXPECT_EQ(matches[2].category, "violence");
  EXPECT_EQ(matches[2].action, MatchAction::kBlock);
  EXPECT_EQ(matches[2].term, "classifier");
  EXPECT_EQ(matches[2].end, 12U);

  TextDecision d;
  add_matches(d, matches);
  EXPECT_EQ(d.decision, Decision::kBlock);
}

TEST(ClassifierVerdict, AnUnavailableClassifierFailsClosedOrOpenPerCategory) {
  const Result<ClassifierScores> down = fail(ErrorCode::kUnavailable, "timeout");
  const auto matches = classifier_matches(policy(), down, 5);
  ASSERT_EQ(matches.size(), 2U);  // spam fails open
  EXPECT_EQ(matches[0].category, "violence");
  EXPECT_EQ(matches[0].action, MatchAction::kBlock);
  EXPECT_EQ(matches[0].term, "classifier_unavailable");
  EXPECT_EQ(matches[1].category, "*");
  EXPECT_EQ(matches[1].action, MatchAction::kReview);
}

TEST(ClassifierVerdict, PolicyThresholdsMustBeOrdered) {
  EXPECT_TRUE(policy().check());
  EXPECT_FALSE((ClassifierPolicy{{{"a", 0.9, 0.5, Decision::kPass}}}.check()));
  EXPECT_FALSE((ClassifierPolicy{{{"a", 0.1, 1.5, Decision::kPass}}}.check()));
  EXPECT_FALSE(
      (ClassifierPolicy{{{"a", 0.1, 0.5, Decision::kPass}, {"a", 0.1, 0.5, Decision::kPass}}}
           .check()));
}

}  // namespace
}  // namespace synthgate::moderation
