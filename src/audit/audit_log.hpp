#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_event.hpp"
#include "audit/checkpoint.hpp"
#include "audit/merkle.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/ed25519.hpp"
#include "store/commit_group.hpp"
#include "store/store.hpp"

namespace synthgate::audit {

// One stored entry. `leaf` and `event` are absent once the payload was purged; the leaf
// hash stays, so the tree still verifies.
struct AuditEntry {
  std::uint64_t index = 0;
  std::optional<Bytes> leaf;
  Hash leaf_hash{};
  TimePoint time{};
  std::string event_type;
  std::optional<AuditEvent> event;
  std::optional<TimePoint> purged_at;
};

struct EntryFilter {
  std::optional<TimePoint> from;  // inclusive
  std::optional<TimePoint> to;    // exclusive
  std::optional<EventType> type;
  std::optional<std::string> user_id;
  std::optional<std::string> content_id;
  std::uint64_t start_index = 0;  // first index to return (paging)
  std::size_t limit = 1000;
};

struct InclusionProof {
  std::uint64_t tree_size = 0;
  std::uint64_t leaf_index = 0;
  Hash leaf_hash{};
  Hash root{};
  std::vector<Hash> path;
};

struct ConsistencyProof {
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  Hash first_root{};
  Hash second_root{};
  std::vector<Hash> proof;
};

struct StoredCheckpoint {
  std::uint64_t tree_size = 0;
  Hash root{};
  std::string note;  // the C2SP signed note, as published
  TimePoint created{};
};

struct VerifyReport {
  bool ok = false;
  std::uint64_t tree_size = 0;        // entries counted by the sequence
  std::uint64_t entries_checked = 0;  // rows read, in index order
  std::uint64_t payloads_checked = 0;
  std::uint64_t purged = 0;
  bool sequence_continuous = false;  // indexes 0..n-1, no gaps, counter agrees
  std::uint64_t checkpoints_checked = 0;
  bool checkpoint_chain_ok = false;  // every checkpoint signed and matching the leaves
  std::uint64_t latest_checkpoint_size = 0;
  Hash root{};
  std::vector<std::string> problems;  // the first 100
};

// What a quarterly completeness report states about a period.
struct PeriodSummary {
  TimePoint from{};
  TimePoint to{};
  std::uint64_t entries = 0;
  std::optional<std::uint64_t> first_index;  // of the entries timed in the period
  std::optional<std::uint64_t> last_index;
  std::map<std::string, std::uint64_t> by_type;
  std::uint64_t checkpoints = 0;  // published in the period
  std::optional<std::uint64_t> last_checkpoint_size;
};

struct PurgeResult {
  std::uint64_t purged = 0;
  std::uint64_t event_index = 0;  // the audit_purged entry that records the purge
};

// The tamper-evident audit log: an append-only RFC 9162 Merkle tree in the Store.
// Thread-safe; several processes (on PostgreSQL, several machines) may append to one log.
class AuditLog {
 public:
  // `signer` signs checkpoints; without one the log can be read, proved and verified but
  // appends that are due a checkpoint fail.
  AuditLog(store::Store& store, AuditConfig config, const Clock& clock,
           const Ed25519SigningKey* signer);

  // Appends and returns the entry's index once it is durable. Concurrent appends share
  // one commit. An event without a time is stamped with the clock.
  Result<std::uint64_t> append(AuditEvent event);

  Result<std::uint64_t> size();
  Result<Hash> root(std::uint64_t size);
  Result<InclusionProof> prove_inclusion(std::uint64_t index, std::uint64_t size);
  Result<ConsistencyProof> prove_consistency(std::uint64_t first, std::uint64_t second);

  Result<std::optional<StoredCheckpoint>> latest_checkpoint();
  Result<std::optional<StoredCheckpoint>> checkpoint_at(std::uint64_t tree_size);
  // Signs and stores a checkpoint of the current tree unless one of that size exists.
  Result<StoredCheckpoint> publish_checkpoint();
  // Publishes when the latest checkpoint is checkpoint_every_seconds old (or
  // checkpoint_every_entries behind) and the tree grew, or when there is none yet.
  Result<std::optional<StoredCheckpoint>> checkpoint_if_due();

  Result<std::vector<AuditEntry>> entries(const EntryFilter& filter);
  Result<std::optional<AuditEntry>> entry(std::uint64_t index);

  // Clears the payloads of entries older than `cutoff`, keeping their leaf hashes, and
  // records the purge as an entry. Refused when `cutoff` lies inside the retention period.
  Result<PurgeResult> purge_before(TimePoint cutoff, const std::string& actor);

  // Recomputes every leaf hash and node from the stored leaves, checks the typed columns
  // against the leaves, the sequence for gaps, and every checkpoint's root and signature.
  Result<VerifyReport> verify(const VerifierKey& key);

  // Counts by event type, index range and checkpoints published in [from, to).
  Result<PeriodSummary> summarize(TimePoint from, TimePoint to);

  // This log's verifier key (requires a signer).
  Result<std::string> verifier_key_text() const;
  Result<VerifierKey> own_verifier_key() const;
  const AuditConfig& config() const { return config_; }

 private:
  struct PendingAppend {
    const AuditEvent* event;
    const Bytes* leaf;
    std::uint64_t index = 0;
    Status result;
    bool done = false;
  };
  // Appends a batch in one piece of work: one counter update, the leaves and the subtree
  // hashes computed in memory from the tree's right edge, then written in a few statements.
  Status append_batch(store::Session& session, std::vector<PendingAppend*>& batch);
  void lead(std::unique_lock<std::mutex>& lock);
  Result<StoredCheckpoint> write_checkpoint(store::Session& session, std::uint64_t size);
  Result<StoredCheckpoint> store_checkpoint(store::Session& session, std::uint64_t size,
                                            const Hash& root);

  store::Store& store_;
  AuditConfig config_;
  const Clock& clock_;
  const Ed25519SigningKey* signer_;
  store::CommitGroup group_;
  // Appends waiting for the next batch. One leader at a time hands a whole batch to the
  // commit group as one piece of work, so each append costs a few rows, not a savepoint
  // and a round trip per statement.
  std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<PendingAppend*> queue_;
  bool leader_active_ = false;
};

}  // namespace synthgate::audit
