#include "audit/audit_log.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "audit/audit_schema.hpp"
#include "store/migration.hpp"
#include "support/backend_test.hpp"
#include "support/fixed_random.hpp"

namespace synthgate::audit {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = TimePoint(std::chrono::milliseconds(1767225600000));  // 2026-01-01

class AuditLogTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const std::vector<store::MigrationSet> sets = {audit_migrations()};
    auto migrated = store::migrate(store(), sets, clock_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    config_.checkpoint_every_entries = 4;
    log_ = std::make_unique<AuditLog>(store(), config_, clock_, &key_);
    verifier_ = *log_->own_verifier_key();
  }

  AuditEvent note(const std::string& text, std::optional<std::string> user = std::nullopt) {
    AuditEvent e;
    e.type = EventType::kOperatorNote;
    e.actor = "operator";
    e.user_id = std::move(user);
    e.details = {{"text", text}};
    return e;
  }

  void expect_verifies() {
    auto report = log_->verify(verifier_);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_TRUE(report->ok) << (report->problems.empty() ? "" : report->problems.front());
  }

  void expect_caught(const std::string& sql, const std::string& what) {
    ASSERT_TRUE(store().execute(sql)) << sql;
    auto report = log_->verify(verifier_);
    ASSERT_TRUE(report);
    EXPECT_FALSE(report->ok) << what << " was not caught";
  }

  ManualClock clock_{kStart};
  testing::FixedRandom random_{3};
  Ed25519SigningKey key_ = Ed25519SigningKey::generate(random_);
  AuditConfig config_;
  std::unique_ptr<AuditLog> log_;
  VerifierKey verifier_;
};

TEST_P(AuditLogTest, AppendsInOneSequenceAndEveryProofVerifies) {
  CompactRange expected;
  std::vector<Hash> roots{empty_root()};
  for (int i = 0; i < 21; ++i) {
    auto index = log_->append(note("n" + std::to_string(i)));
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_EQ(*index, static_cast<std::uint64_t>(i));
    auto entry = log_->entry(*index);
    ASSERT_TRUE(entry && *entry);
    expected.append(leaf_hash(*(*entry)->leaf));
    roots.push_back(expected.root());
  }
  EXPECT_EQ(*log_->size(), 21u);
  for (std::uint64_t n = 1; n <= 21; ++n) {
    EXPECT_EQ(*log_->root(n), roots[n]);
    for (std::uint64_t i = 0; i < n; i += 3) {
      auto proof = log_->prove_inclusion(i, n);
      ASSERT_TRUE(proof) << proof.error().message;
      EXPECT_TRUE(verify_inclusion(proof->leaf_hash, i, n, proof->path, roots[n]));
    }
    for (std::uint64_t m = 0; m <= n; m += 2) {
      auto proof = log_->prove_consistency(m, n);
      ASSERT_TRUE(proof);
      EXPECT_TRUE(verify_consistency(m, n, roots[m], roots[n], proof->proof)) << m << "->" << n;
    }
  }
  EXPECT_FALSE(log_->prove_inclusion(21, 21));
  EXPECT_FALSE(log_->prove_inclusion(0, 22));
  EXPECT_FALSE(log_->prove_consistency(5, 4));

  // A checkpoint every 4 entries, each a signed note of the right root.
  auto latest = log_->latest_checkpoint();
  ASSERT_TRUE(latest && *latest);
  EXPECT_EQ((*latest)->tree_size, 20u);
  auto opened = open_checkpoint((*latest)->note, verifier_);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->root, roots[20]);
  auto report = log_->verify(verifier_);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->checkpoints_checked, 5u);
  EXPECT_EQ(report->entries_checked, 21u);
  EXPECT_EQ(report->root, roots[21]);
}

TEST_P(AuditLogTest, ConcurrentAppendersOfTwoStoresShareOneGaplessSequence) {
  auto other_store = open_again();
  ASSERT_NE(other_store, nullptr);
  AuditLog other(*other_store, config_, clock_, &key_);
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::vector<std::vector<std::uint64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      AuditLog& log = t % 2 == 0 ? *log_ : other;
      for (int i = 0; i < kEach; ++i) {
        auto index = log.append(note("t" + std::to_string(t) + "-" + std::to_string(i)));
        if (index) got[static_cast<std::size_t>(t)].push_back(*index);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::uint64_t> all;
  for (const auto& list : got) {
    EXPECT_EQ(list.size(), static_cast<std::size_t>(kEach));
    all.insert(list.begin(), list.end());
  }
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  EXPECT_EQ(*all.rbegin(), static_cast<std::uint64_t>(kThreads * kEach - 1));
  expect_verifies();
}

TEST_P(AuditLogTest, ChangedQueryColumnIsCaught) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_->append(note("n" + std::to_string(i), "u1")));
  expect_verifies();
  expect_caught("UPDATE audit_entries SET user_id = 'u2' WHERE idx = 9", "a typed column");
}

TEST_P(AuditLogTest, ChangedLeafHashIsCaught) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_->append(note("n" + std::to_string(i))));
  const Hash zero{};
  ASSERT_TRUE(store().execute("UPDATE audit_entries SET leaf_hash = ? WHERE idx = 9",
                              {Bytes(zero.begin(), zero.end())}));
  auto report = log_->verify(verifier_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
}

TEST_P(AuditLogTest, ChangedLeafByteIsCaught) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_->append(note("n" + std::to_string(i))));
  auto entry = *log_->entry(3);
  Bytes leaf = *entry->leaf;
  leaf[leaf.size() - 3] ^= 0x01;
  ASSERT_TRUE(store().execute("UPDATE audit_entries SET leaf = ? WHERE idx = 3", {leaf}));
  auto report = log_->verify(verifier_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
}

TEST_P(AuditLogTest, RewrittenLeafWithItsHashIsCaughtByTheSignedCheckpoints) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_->append(note("n" + std::to_string(i))));
  auto event = note("forged");
  event.time = kStart;
  const Bytes leaf = *encode_leaf(event);
  const Hash hash = leaf_hash(leaf);
  ASSERT_TRUE(
      store().execute("UPDATE audit_entries SET leaf = ?, leaf_hash = ?, time_ms = ? "
                      "WHERE idx = 2",
                      {leaf, Bytes(hash.begin(), hash.end()), unix_millis(kStart)}));
  auto report = log_->verify(verifier_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
  EXPECT_FALSE(report->checkpoint_chain_ok);
}

TEST_P(AuditLogTest, ChangedNodeCheckpointOrGapIsCaught) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_->append(note("n" + std::to_string(i))));
  const Hash zero{};
  ASSERT_TRUE(store().execute("UPDATE audit_nodes SET hash = ? WHERE level = 2 AND position = 1",
                              {Bytes(zero.begin(), zero.end())}));
  auto report = log_->verify(verifier_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
}

TEST_P(AuditLogTest, ChangedCheckpointIsCaught) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(log_->append(note("n" + std::to_string(i))));
  auto cp = *log_->checkpoint_at(8);
  ASSERT_TRUE(cp);
  std::string note_text = cp->note;
  note_text[note_text.size() - 5] = note_text[note_text.size() - 5] == 'A' ? 'B' : 'A';
  ASSERT_TRUE(
      store().execute("UPDATE audit_checkpoints SET note = ? WHERE tree_size = 8", {note_text}));
  auto report = log_->verify(verifier_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
  EXPECT_FALSE(report->checkpoint_chain_ok);
}

TEST_P(AuditLogTest, EntriesCannotBeDeletedAndAGapIsCaught) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(log_->append(note("n" + std::to_string(i))));
  EXPECT_FALSE(store().execute("DELETE FROM audit_entries WHERE idx = 2"));
  // Even around the trigger, a moved row leaves a gap that verify names.
  ASSERT_TRUE(store().execute("UPDATE audit_entries SET idx = 100 WHERE idx = 5"));
  auto report = log_->verify(verifier_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
  EXPECT_FALSE(report->sequence_continuous);
}

TEST_P(AuditLogTest, VerifyRefusesCheckpointsOfAnotherKey) {
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(log_->append(note("n" + std::to_string(i))));
  testing::FixedRandom other_random(9);
  const auto other = Ed25519SigningKey::generate(other_random);
  auto report = log_->verify(*parse_verifier_key(verifier_key(config_.origin, other.public_key())));
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
}

TEST_P(AuditLogTest, RetentionRefusesPurgesInsideThePeriodAndKeepsTheTree) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_->append(note("old" + std::to_string(i), "u1")));
  clock_.advance(100 * 24h);
  ASSERT_TRUE(log_->append(note("newer", "u1")));
  // 100 days later: nothing may go.
  auto refused = log_->purge_before(clock_.now(), "ops");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(log_->purge_before(kStart + 1ms, "ops"));

  clock_.advance(90 * 24h);  // 190 days after the first five
  const Hash root_before = *log_->root(6);
  auto purged = log_->purge_before(kStart + 1h, "ops");
  ASSERT_TRUE(purged) << purged.error().message;
  EXPECT_EQ(purged->purged, 5u);
  EXPECT_EQ(purged->event_index, 6u);
  EXPECT_EQ(*log_->root(6), root_before);
  auto gone = *log_->entry(0);
  EXPECT_FALSE(gone->leaf);
  EXPECT_TRUE(gone->purged_at);
  auto kept = *log_->entry(5);
  EXPECT_TRUE(kept->leaf);
  auto record = *log_->entry(6);
  ASSERT_TRUE(record->event);
  EXPECT_EQ(record->event->type, EventType::kAuditPurged);
  EXPECT_EQ(record->event->details.at("entries"), "5");
  auto proof = log_->prove_inclusion(1, 7);
  ASSERT_TRUE(proof);
  EXPECT_TRUE(verify_inclusion(proof->leaf_hash, 1, 7, proof->path, *log_->root(7)));
  expect_verifies();

  // A payload removed by hand inside the period is named by verify.
  ASSERT_TRUE(store().execute(
      "UPDATE audit_entries SET leaf = NULL, purged_at_ms = time_ms WHERE idx = 5"));
  auto report = log_->verify(verifier_);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok);
}

TEST_P(AuditLogTest, QueriesByUserContentTypeAndTime) {
  AuditEvent labelled;
  labelled.type = EventType::kOutputLabelled;
  labelled.actor = "pipeline";
  labelled.user_id = "u2";
  labelled.content_id = "c7";
  labelled.labels = {"explicit"};
  ASSERT_TRUE(log_->append(note("a", "u1")));
  clock_.advance(1h);
  ASSERT_TRUE(log_->append(labelled));
  clock_.advance(1h);
  ASSERT_TRUE(log_->append(note("b", "u2")));

  EntryFilter by_user;
  by_user.user_id = "u2";
  EXPECT_EQ(log_->entries(by_user)->size(), 2u);
  EntryFilter by_content;
  by_content.content_id = "c7";
  auto found = *log_->entries(by_content);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].event->labels, std::vector<std::string>{"explicit"});
  EntryFilter by_type;
  by_type.type = EventType::kOperatorNote;
  EXPECT_EQ(log_->entries(by_type)->size(), 2u);
  EntryFilter by_time;
  by_time.from = kStart + 30min;
  by_time.to = kStart + 90min;
  auto window = *log_->entries(by_time);
  ASSERT_EQ(window.size(), 1u);
  EXPECT_EQ(window[0].index, 1u);
  EntryFilter page;
  page.start_index = 1;
  page.limit = 1;
  EXPECT_EQ(log_->entries(page)->front().index, 1u);
}

TEST_P(AuditLogTest, ChecksPointsAreDueByTimeAsWellAsByCount) {
  auto first = log_->checkpoint_if_due();  // none yet: one of the empty tree
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->tree_size, 0u);
  ASSERT_TRUE(log_->append(note("x")));
  EXPECT_FALSE(*log_->checkpoint_if_due());  // grew, but neither 4 entries nor 60 s
  clock_.advance(61s);
  auto due = log_->checkpoint_if_due();
  ASSERT_TRUE(due && *due);
  EXPECT_EQ((*due)->tree_size, 1u);
  EXPECT_FALSE(*log_->checkpoint_if_due());  // nothing new
  auto again = log_->publish_checkpoint();   // same size: the stored one
  ASSERT_TRUE(again);
  EXPECT_EQ(again->note, (*due)->note);
  expect_verifies();
}

TEST_P(AuditLogTest, SummarizesAPeriodForTheCompletenessReport) {
  ASSERT_TRUE(log_->append(note("before")));
  clock_.advance(24h);
  const TimePoint from = clock_.now();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(log_->append(note("in")));
  AuditEvent read;
  read.type = EventType::kPersonalDataRead;
  read.actor = "support";
  read.user_id = "u9";
  ASSERT_TRUE(log_->append(read));
  clock_.advance(24h);
  const TimePoint to = clock_.now();
  ASSERT_TRUE(log_->append(note("after")));
  auto summary = log_->summarize(from, to);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->entries, 6u);
  EXPECT_EQ(summary->first_index, 1u);
  EXPECT_EQ(summary->last_index, 6u);
  EXPECT_EQ(summary->by_type.at("operator_note"), 5u);
  EXPECT_EQ(summary->by_type.at("personal_data_read"), 1u);
  EXPECT_EQ(summary->checkpoints, 1u);  // at size 4
  EXPECT_EQ(summary->last_checkpoint_size, 4u);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(AuditLogTest);

}  // namespace
}  // namespace synthgate::audit
