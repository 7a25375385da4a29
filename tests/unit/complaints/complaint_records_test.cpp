// Complaint records on SQLite and PostgreSQL: the workflow, its audit trail, duplicates, the
// time limits with a driven clock, and the transparency figures.
#include "complaints/complaint_records.hpp"

#include <gtest/gtest.h>

#include "audit/audit_schema.hpp"
#include "store/migration.hpp"
#include "support/backend_test.hpp"
#include "support/fixed_random.hpp"

namespace synthgate::complaints {
namespace {

const TimePoint kStart = TimePoint(std::chrono::milliseconds(1795838400000));

class ComplaintRecordsTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const std::vector<store::MigrationSet> sets = {
        audit::audit_migrations(), identity::vault_migrations(), complaint_migrations()};
    auto migrated = store::migrate(store(), sets, clock_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    audit_ = std::make_unique<audit::AuditLog>(store(), AuditConfig{}, clock_, &signer_);
    vault_ = std::make_unique<identity::PersonalDataVault>(
        store(), *audit_, identity::VaultKeys{SecretBytes(std::vector<std::uint8_t>(32, 7)), {}},
        secure_);
    ASSERT_TRUE(vault_->open());
    records_ = std::make_unique<ComplaintRecords>(store(), *audit_, *vault_, clock_, ids_, secure_);
  }

  Complaint receive(const std::string& category, std::optional<std::string> sha = {}) {
    NewComplaint n;
    n.category = category;
    n.description = "a fake video of me";
    n.contact = "me@example.com";
    n.attachment_sha256 = std::move(sha);
    auto intake = records_->receive(n, std::chrono::hours(72));
    EXPECT_TRUE(intake) << intake.error().message;
    return intake ? intake->complaint : Complaint{};
  }

  std::vector<audit::AuditEntry> complaint_audit() {
    audit::EntryFilter filter;
    filter.type = audit::EventType::kComplaintAction;
    auto entries = audit_->entries(filter);
    EXPECT_TRUE(entries);
    return entries ? *entries : std::vector<audit::AuditEntry>{};
  }

  ManualClock clock_{kStart};
  synthgate::testing::FixedRandom random_{-1};
  SecureRandom secure_;
  Ed25519SigningKey signer_ = Ed25519SigningKey::generate(random_);
  IdGenerator ids_{clock_, secure_};
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::PersonalDataVault> vault_;
  std::unique_ptr<ComplaintRecords> records_;
  ComplaintLimits limits_{ComplaintsConfig{}.limits};
};

TEST_P(ComplaintRecordsTest, WorkflowFollowsTheStateMachineAndAuditsEveryStep) {
  const Complaint c = receive("impersonation");
  EXPECT_EQ(c.state, ComplaintState::kReceived);
  EXPECT_EQ(c.tracking_code.size(), 15u);
  ASSERT_TRUE(records_->by_tracking_code(c.tracking_code));

  // Skipping a step is refused and changes nothing.
  auto skipped = records_->transition(c.id, ComplaintState::kActioned, "officer");
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error().code, ErrorCode::kFailedPrecondition);

  ASSERT_TRUE(records_->assign(c.id, "officer-1", "lead"));
  clock_.advance(std::chrono::hours(1));
  auto ack = records_->transition(c.id, ComplaintState::kAcknowledged, "officer-1");
  ASSERT_TRUE(ack) << ack.error().message;
  EXPECT_EQ(ack->acknowledged_ms, c.received_ms + 3600000);
  ASSERT_TRUE(records_->transition(c.id, ComplaintState::kUnderReview, "officer-1"));
  ASSERT_TRUE(records_->add_note(c.id, "looks like the subject's face", "officer-1"));
  bool effect_ran = false;
  auto action = records_->record_action(c.id, {"takedown", "taken down", {{"content", "x"}}},
                                        "officer-1", [&]() -> Status {
                                          effect_ran = true;
                                          return {};
                                        });
  ASSERT_TRUE(action) << action.error().message;
  EXPECT_TRUE(effect_ran);
  clock_.advance(std::chrono::hours(1));
  auto actioned = records_->transition(c.id, ComplaintState::kActioned, "officer-1", "done");
  ASSERT_TRUE(actioned);
  EXPECT_EQ(actioned->outcome, "actioned");
  EXPECT_EQ(actioned->resolved_ms, c.received_ms + 2 * 3600000);
  ASSERT_TRUE(records_->transition(c.id, ComplaintState::kClosed, "officer-1"));
  // The user whose content was actioned appeals: the case is reviewed again.
  auto appealed = records_->transition(c.id, ComplaintState::kAppealed, "user");
  ASSERT_TRUE(appealed) << appealed.error().message;
  ASSERT_TRUE(records_->transition(c.id, ComplaintState::kUnderReview, "officer-2"));

  auto events = records_->events(c.id);
  ASSERT_TRUE(events);
  std::vector<std::string> kinds;
  for (const auto& e : *events) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"received", "assignment", "transition", "transition",
                                             "note", "action", "transition", "transition",
                                             "transition", "transition"}));
  // Every event is an audit entry, and its index is the one stored with it.
  const auto audited = complaint_audit();
  ASSERT_EQ(audited.size(), events->size());
  for (std::size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].audit_index, audited[i].index);
    ASSERT_TRUE(audited[i].event);
    EXPECT_EQ(audited[i].event->subjects.at("complaint"), c.id);
    // The complainant's contact is never in the audit log.
    for (const auto& [k, v] : audited[i].event->details) EXPECT_EQ(v.find("example.com"), v.npos);
  }
}

TEST_P(ComplaintRecordsTest, TheContactIsSealedAndEachReadIsAudited) {
  const Complaint c = receive("privacy");
  // No table holds the contact in the clear: the complaint row keeps only that there is one.
  for (const char* table : {"complaints", "complaint_events"}) {
    auto rows = store().query(std::string("SELECT * FROM ") + table);
    ASSERT_TRUE(rows) << rows.error().message;
    for (const auto& row : rows->rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (row.is_null(i)) continue;
        auto text = row.text(i);
        if (text) {
          EXPECT_EQ(text->find("me@example.com"), std::string::npos) << table;
        }
      }
    }
  }
  auto stored = records_->get(c.id);
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->has_contact);
  EXPECT_TRUE(stored->contact.empty());
  audit::EntryFilter reads;
  reads.type = audit::EventType::kPersonalDataRead;
  const auto before = audit_->entries(reads)->size();
  auto contact = records_->contact(*stored, "officer-1", "complaint handling");
  ASSERT_TRUE(contact) << contact.error().message;
  EXPECT_EQ(*contact, "me@example.com");
  EXPECT_EQ(audit_->entries(reads)->size(), before + 1);

  NewComplaint anonymous;
  anonymous.category = "other";
  anonymous.description = "no contact left";
  auto none = records_->receive(anonymous, std::chrono::hours(1));
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->complaint.has_contact);
  EXPECT_EQ(*records_->contact(none->complaint, "officer-1", "complaint handling"), "");
}

TEST_P(ComplaintRecordsTest, AFailedActionLeavesNoEvent) {
  const Complaint c = receive("fraud");
  auto action = records_->record_action(c.id, {"suspend_user", "", {}}, "officer",
                                        [] { return fail(ErrorCode::kNotFound, "no user"); });
  ASSERT_FALSE(action);
  auto events = records_->events(c.id);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
}

TEST_P(ComplaintRecordsTest, TheSameFileWithinTheWindowIsMerged) {
  const std::string sha(64, 'a');
  const Complaint first = receive("unlabelled_ai", sha);
  clock_.advance(std::chrono::hours(10));
  NewComplaint again;
  again.category = "other";
  again.attachment_sha256 = sha;
  auto merged = records_->receive(again, std::chrono::hours(72));
  ASSERT_TRUE(merged);
  EXPECT_TRUE(merged->merged);
  EXPECT_EQ(merged->complaint.id, first.id);
  EXPECT_EQ(merged->complaint.duplicates, 1);
  clock_.advance(std::chrono::hours(100));
  auto later = records_->receive(again, std::chrono::hours(72));
  ASSERT_TRUE(later);
  EXPECT_FALSE(later->merged);
  auto rows = store().query("SELECT COUNT(*) FROM complaints");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->rows[0].integer(0).value(), 2);
}

TEST_P(ComplaintRecordsTest, UnknownCategoryIsRefused) {
  NewComplaint n;
  n.category = "spam";
  auto intake = records_->receive(n, std::chrono::hours(1));
  ASSERT_FALSE(intake);
  EXPECT_EQ(intake.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(complaint_audit().empty());
}

TEST_P(ComplaintRecordsTest, ABreachedLimitEscalatesOnceAndShowsAsOverdue) {
  const Complaint urgent = receive("illegal_content");  // acknowledge within 2 hours
  const Complaint slow = receive("other");              // 48 hours
  auto none = records_->escalate_overdue(limits_);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  clock_.advance(std::chrono::hours(3));
  auto escalated = records_->escalate_overdue(limits_);
  ASSERT_TRUE(escalated) << escalated.error().message;
  ASSERT_EQ(escalated->size(), 1u);
  EXPECT_EQ(escalated->front().id, urgent.id);
  EXPECT_EQ(escalated->front().escalated_ms, urgent.received_ms + 3 * 3600000);
  auto again = records_->escalate_overdue(limits_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());

  ComplaintFilter overdue;
  overdue.overdue_only = true;
  auto listed = records_->list(overdue, limits_);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, urgent.id);
  auto events = records_->events(urgent.id);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->back().kind, "escalation");
  EXPECT_NE(events->back().details.find("acknowledge"), std::string::npos);

  // Acknowledged in time, the slow one still breaks its resolve limit (15 days).
  ASSERT_TRUE(records_->transition(slow.id, ComplaintState::kAcknowledged, "officer"));
  clock_.advance(std::chrono::hours(24 * 15));
  auto late = records_->escalate_overdue(limits_);
  ASSERT_TRUE(late);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_EQ(late->front().id, slow.id);
}

TEST_P(ComplaintRecordsTest, StatsCountByCategoryAndOutcomeWithTheMedian) {
  const Complaint a = receive("fraud");
  const Complaint b = receive("fraud");
  receive("privacy");
  for (const auto& [c, hours, to] :
       {std::tuple{a, 2, ComplaintState::kActioned}, {b, 4, ComplaintState::kRejected}}) {
    ASSERT_TRUE(records_->transition(c.id, ComplaintState::kAcknowledged, "o"));
    ASSERT_TRUE(records_->transition(c.id, ComplaintState::kUnderReview, "o"));
    clock_.advance(std::chrono::hours(hours));
    ASSERT_TRUE(records_->transition(c.id, to, "o"));
  }
  auto stats = records_->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->total, 3);
  EXPECT_EQ(stats->by_category["fraud"]["received"], 2);
  EXPECT_EQ(stats->by_category["fraud"]["actioned"], 1);
  EXPECT_EQ(stats->by_category["fraud"]["rejected"], 1);
  EXPECT_EQ(stats->by_category["privacy"]["open"], 1);
  EXPECT_EQ(stats->by_category["minors"]["received"], 0);
  // a took 2 h, b 6 h (its clock ran on through a's 2 h): the median of two is the mean.
  EXPECT_EQ(stats->median_handling_ms, 4 * 3600000);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(ComplaintRecordsTest);

}  // namespace
}  // namespace synthgate::complaints
