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

TEST(ClassifierVerdict, PolicySpecsAreParsedAndChecked) {
  auto policy =
      parse_classifier_policy({"violence:0.5:0.8:block", "spam:0.4:0.95", "*:0.6:0.9:review"});
  ASSERT_TRUE(policy) << policy.error().message;
  ASSERT_EQ(policy->categories.size(), 3u);
  EXPECT_EQ(policy->categories[0].name, "violence");
  EXPECT_DOUBLE_EQ(policy->categories[0].block_at, 0.8);
  EXPECT_EQ(policy->categories[0].when_unavailable, Decision::kBlock);
  EXPECT_EQ(policy->categories[1].when_unavailable, Decision::kPass);  // open by default
  EXPECT_EQ(policy->categories[2].when_unavailable, Decision::kReview);

  auto fallback = parse_classifier_policy({});
  ASSERT_TRUE(fallback);
  ASSERT_EQ(fallback->categories.size(), 1u);
  EXPECT_EQ(fallback->categories[0].name, "*");
  EXPECT_EQ(fallback->categories[0].when_unavailable, Decision::kPass);

  auto not_a_number = parse_classifier_policy({"violence:high:0.9"});
  ASSERT_FALSE(not_a_number);
  EXPECT_NE(not_a_number.error().message.find("'violence:high:0.9': a threshold is not a number"),
            std::string::npos)
      << not_a_number.error().message;
  EXPECT_FALSE(parse_classifier_category("violence:0.5"));
  EXPECT_FALSE(parse_classifier_category(":0.5:0.9"));
  EXPECT_FALSE(parse_classifier_category("violence:0.5:0.9:maybe"));
  EXPECT_FALSE(parse_classifier_policy({"violence:0.9:0.5"}));        // thresholds out of order
  EXPECT_FALSE(parse_classifier_policy({"a:0.5:0.9", "a:0.5:0.9"}));  // a name twice
}

}  // namespace
}  // namespace synthgate::moderation
