#include "governance/compliance_tasks.hpp"

#include <gtest/gtest.h>

#include "governance/compliance_metrics.hpp"
#include "identity/user_registry.hpp"
#include "pipeline/pipeline_records.hpp"
#include "unit/governance/governance_fixture.hpp"

namespace synthgate::governance {
namespace {

using namespace std::chrono_literals;

// The gateway's tables, filled with rows as the gateway writes them.
class MetricsTest : public GovernanceTest {
 protected:
  std::vector<store::MigrationSet> extra_migrations() override {
    return {identity::identity_migrations(), pipeline::pipeline_migrations()};
  }

  void add_user(const std::string& id, const std::string& state) {
    ASSERT_TRUE(store().execute(
        "INSERT INTO identity_users (id, kind, state, created_ms, updated_ms) VALUES (?, "
        "'individual', ?, 0, 0)",
        {id, state}));
  }

  void admit(const std::string& id, const std::string& user, TimePoint when) {
    ASSERT_TRUE(store().execute(
        "INSERT INTO pipeline_admissions (id, user_id, service, modality, decision, reasons, "
        "prompt_sha256, consent_ids, actor, created_ms, expires_ms, audit_index) VALUES (?, ?, "
        "'svc', 'text', 'allow', '[]', '', '[]', 'k', ?, ?, 0)",
        {id, user, unix_millis(when), unix_millis(when + 1h)}));
  }

  void output(const std::string& id, const std::string& admission, const std::string& modality) {
    ASSERT_TRUE(store().execute(
        "INSERT INTO content_records (id, admission_id, user_id, service, modality, format, "
        "input_sha256, output_sha256, labels, created_ms, audit_index) VALUES (?, ?, 'u', 'svc', "
        "?, 'png', '', '', '[]', 0, 0)",
        {id, admission, modality}));
  }

  ComplianceMetrics metrics() {
    auto m = gather_metrics(store(), clock_.now());
    EXPECT_TRUE(m) << m.error().message;
    return m ? *m : ComplianceMetrics{};
  }

  // Made after SetUp has opened the records.
  ComplianceTasks tasks() { return ComplianceTasks(*records_); }
};

TEST_P(MetricsTest, FiguresComeFromTheRecords) {
  add_user("u1", "verified");
  add_user("u2", "verified");
  add_user("u3", "unverified");
  admit("a1", "u1", kNow - 1h);        // today (2026-11-28)
  admit("a2", "u1", kNow - 2h);        // today again: one user
  admit("a3", "u2", kNow - 72h);       // this month, not today
  admit("a4", "u3", kNow - 24h * 40);  // last month
  output("c1", "a1", "image");
  output("c2", "a2", "image");
  output("c3", "a3", "text");
  const auto m = metrics();
  EXPECT_EQ(m.registered_users, 3);
  EXPECT_EQ(m.verified_users, 2);
  EXPECT_EQ(m.daily_active_users, 1);
  EXPECT_EQ(m.monthly_active_users, 2);
  EXPECT_EQ(m.generations.at("image"), 2);
  EXPECT_EQ(m.generations.at("text"), 1);
  EXPECT_EQ(m.generations_total, 3);
  // No complaints table yet: 0 and a note saying so.
  EXPECT_EQ(m.complaints, 0);
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_NE(m.notes[0].find("no complaints table"), std::string::npos);

  ASSERT_TRUE(store().execute(
      "CREATE TABLE complaints (id TEXT, category TEXT, state TEXT, received_ms BIGINT)"));
  ASSERT_TRUE(
      store().execute("INSERT INTO complaints VALUES ('k1', 'label_missing', 'open', 0), ('k2', "
                      "'label_missing', 'closed', 0), ('k3', 'privacy', 'open', 0)"));
  const auto with_complaints = metrics();
  EXPECT_EQ(with_complaints.complaints, 3);
  EXPECT_EQ(with_complaints.complaints_by_category.at("label_missing"), 2);
  EXPECT_TRUE(with_complaints.notes.empty());
}

TEST_P(MetricsTest, CrossingAThresholdRaisesOneAlertAndATask) {
  Thresholds thresholds;
  thresholds.monthly_active_users = 3;
  thresholds.registered_users = 100;
  add_user("u1", "verified");
  admit("a1", "u1", kNow - 1h);
  admit("a2", "u2", kNow - 1h);
  auto none = tasks().raise_alerts(metrics(), thresholds);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());

  admit("a3", "u3", kNow - 30min);  // the third monthly user
  auto raised = tasks().raise_alerts(metrics(), thresholds);
  ASSERT_TRUE(raised) << raised.error().message;
  ASSERT_EQ(raised->size(), 1u);
  EXPECT_EQ((*raised)[0].crossing.metric, "monthly_active_users");
  EXPECT_EQ((*raised)[0].crossing.value, 3);
  auto task = tasks().task((*raised)[0].task_id);
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_EQ(task->kind, "security_assessment_filing");
  EXPECT_EQ(task->owner, Role::kComplianceLead);
  EXPECT_EQ(task->due_ms, unix_millis(kNow + 24h * 30));

  // Still above it: no second alert, no second task.
  admit("a4", "u4", kNow - 10min);
  auto again = tasks().raise_alerts(metrics(), thresholds);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  auto open = tasks().list(true);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->size(), 1u);
  bool audited = false;
  for (const auto& e : notes()) {
    audited = audited || e.event->details.at("action") == "compliance_threshold_crossed";
  }
  EXPECT_TRUE(audited);
}

TEST_P(MetricsTest, QuarterlyLogCompletenessIsOwnedDueAndVerified) {
  ASSERT_TRUE(records_->assign_role(Role::kDataGovernanceOwner, "zhao.min", "ceo"));
  // 2026-11-28 is in Q4: the task is for Q3, due 30 days after 2026-10-01.
  auto task = tasks().schedule_log_completeness();
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_EQ(task->subject, "2026-Q3");
  EXPECT_EQ(task->owner, Role::kDataGovernanceOwner);
  auto bounds = quarter_bounds("2026-Q3");
  ASSERT_TRUE(bounds);
  EXPECT_EQ(task->due_ms, unix_millis(bounds->second + 24h * 30));
  EXPECT_TRUE(task->overdue(unix_millis(kNow)));  // 2026-10-31 has passed

  auto overdue = tasks().overdue();
  ASSERT_TRUE(overdue) << overdue.error().message;
  ASSERT_EQ(overdue->size(), 1u);
  auto overdue_again = tasks().overdue();  // alerted once only
  ASSERT_TRUE(overdue_again);
  std::size_t alerts = 0;
  for (const auto& e : notes()) {
    alerts += e.event->details.at("action") == "compliance_task_overdue" ? 1u : 0u;
  }
  EXPECT_EQ(alerts, 1u);

  auto key = audit_->own_verifier_key();
  ASSERT_TRUE(key);
  auto stranger = tasks().verify_log_completeness(task->id, "someone", *key);
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(audit_->publish_checkpoint());
  auto done = tasks().verify_log_completeness(task->id, "zhao.min", *key);
  ASSERT_TRUE(done) << done.error().message;
  ASSERT_TRUE(done->done_ms);
  EXPECT_EQ((*done->result)["verified"], true);
  EXPECT_EQ((*done->result)["quarter"], "2026-Q3");
  auto left = tasks().overdue();
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
  // Scheduling again in the same quarter gives the same task.
  auto same = tasks().schedule_log_completeness();
  ASSERT_TRUE(same);
  EXPECT_EQ(same->id, task->id);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(MetricsTest);

}  // namespace
}  // namespace synthgate::governance
