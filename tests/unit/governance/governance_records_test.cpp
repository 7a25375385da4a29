#include "governance/governance_records.hpp"

#include <gtest/gtest.h>

#include "governance/dataset_registry.hpp"
#include "governance/scope_assessment.hpp"
#include "unit/governance/governance_fixture.hpp"

namespace synthgate::governance {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

TEST_P(GovernanceTest, SampleInventoryToASignedScopeAssessment) {
  auto v1 = records_->import_inventory(sample(), "importer");
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->version, 1);
  // The same inventory again is the same version, not a new one.
  auto same = records_->import_inventory(sample(), "importer");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->version, 1);

  // Nobody may sign before a lead is designated; only the lead may sign.
  auto early = records_->sign_off(1, "wang.li");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(records_->assign_role(Role::kComplianceLead, "wang.li", "ceo"));
  ASSERT_TRUE(records_->assign_role(Role::kDataGovernanceOwner, "zhao.min", "ceo"));
  auto intruder = records_->sign_off(1, "zhao.min");
  ASSERT_FALSE(intruder);
  EXPECT_EQ(intruder.error().code, ErrorCode::kPermissionDenied);

  clock_.set(kNow + 1h);
  auto signed_off = records_->sign_off(1, "wang.li");
  ASSERT_TRUE(signed_off) << signed_off.error().message;
  EXPECT_EQ(signed_off->sha256, v1->sha256);
  EXPECT_EQ(signed_off->signed_ms, unix_millis(kNow + 1h));

  auto listed = records_->sign_offs(1);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].signer, "wang.li");
  EXPECT_EQ((*listed)[0].audit_index, signed_off->audit_index);

  // Every step is in the audit log: import, two roles, the sign-off.
  const auto entries = notes();
  ASSERT_EQ(entries.size(), 4u);
  const auto& last = *entries.back().event;
  EXPECT_EQ(last.actor, "wang.li");
  EXPECT_EQ(last.details.at("action"), "compliance_scope_signed");
  EXPECT_EQ(last.details.at("version"), "1");
  EXPECT_EQ(last.details.at("sha256"), v1->sha256);
  EXPECT_EQ(entries.back().index, signed_off->audit_index);

  auto lead = records_->role(Role::kComplianceLead);
  ASSERT_TRUE(lead && *lead);
  EXPECT_EQ((*lead)->person, "wang.li");
}

TEST_P(GovernanceTest, VersionsAreKeptAndDiffable) {
  ASSERT_TRUE(records_->import_inventory(sample(), "a"));
  Inventory changed = sample();
  changed.features[3].answers.reachable_in_china = true;  // f-rank
  changed.products.pop_back();                            // p-search gone ...
  changed.features.pop_back();                            // ... with its feature
  changed.units.push_back({"bu-new", "新业务 New"});
  auto v2 = records_->import_inventory(changed, "b");
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->version, 2);
  auto versions = records_->versions();
  ASSERT_TRUE(versions);
  EXPECT_EQ(*versions, (std::vector<std::int64_t>{1, 2}));

  auto d = records_->diff(1, 2);
  ASSERT_TRUE(d) << d.error().message;
  ASSERT_EQ((*d)["added"].size(), 1u);
  EXPECT_EQ((*d)["added"][0]["id"], "bu-new");
  ASSERT_EQ((*d)["removed"].size(), 2u);
  EXPECT_EQ((*d)["removed"][0]["id"], "f-rank");
  EXPECT_EQ((*d)["removed"][1]["id"], "p-search");
  EXPECT_TRUE((*d)["changed"].empty());

  Inventory renamed = sample();
  renamed.features[0].answers.model = "sg-chat-13b";
  ASSERT_TRUE(records_->import_inventory(renamed, "c"));
  auto d13 = records_->diff(1, 3);
  ASSERT_TRUE(d13);
  ASSERT_EQ((*d13)["changed"].size(), 1u);
  EXPECT_EQ((*d13)["changed"][0]["id"], "f-chat");
  const json op = (*d13)["changed"][0]["patch"][0];
  EXPECT_EQ(op["path"], "/questionnaire/model");
  EXPECT_EQ(op["value"], "sg-chat-13b");

  auto missing = records_->diff(1, 9);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(CorpusCheck, MoreThanFivePercentMakesASourceUnusable) {
  EXPECT_TRUE(corpus_usable(4000, 200));   // exactly 5%
  EXPECT_FALSE(corpus_usable(4000, 201));  // above it
  EXPECT_TRUE(corpus_usable(100, 0));
  EXPECT_FALSE(corpus_usable(0, 0));  // nothing sampled proves nothing
}

TEST_P(GovernanceTest, DatasetsAreRegisteredAndTheirCheckStored) {
  DatasetRegistry registry(*records_);
  Dataset d;
  d.source = "论坛语料 Forum corpus";
  d.licence = "purchased";
  d.pi_basis = "consent";
  d.collected_on = "2026-01-15";
  auto missing = registry.add(d, "zhao");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("论坛语料 Forum corpus: missing consent"),
            std::string::npos)
      << missing.error().message;
  d.consent = "click-through consent, logged";
  auto added = registry.add(d, "zhao");
  ASSERT_TRUE(added) << added.error().message;
  auto checked = registry.record_check(added->id, 1000, 51, "zhao");
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_FALSE(*checked->usable);
  auto stored = registry.get(added->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored->sampled, 1000);
  EXPECT_EQ(*stored->flagged, 51);
  EXPECT_FALSE(*stored->usable);
  EXPECT_EQ(notes().back().event->details.at("action"), "compliance_corpus_checked");
  EXPECT_FALSE(registry.record_check(added->id, 10, 11, "zhao"));
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(GovernanceTest);

}  // namespace
}  // namespace synthgate::governance
