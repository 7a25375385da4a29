#include "audit/audit_log.hpp"

#include <algorithm>
#include <bit>
#include <map>
#include <tuple>

namespace synthgate::audit {

namespace {

using store::Null;
using store::Params;
using store::Row;
using store::Rows;
using store::Value;

constexpr std::string_view kEntryColumns =
    "SELECT idx, leaf, leaf_hash, time_ms, event_type, actor, user_id, content_id, purged_at_ms "
    "FROM audit_entries ";

Result<Hash> to_hash(const Row& row, std::size_t column) {
  auto bytes = row.blob(column);
  if (!bytes) return tl::unexpected(bytes.error());
  Hash out{};
  if (bytes->size() != out.size()) {
    return fail(ErrorCode::kInternal, "a stored hash is not 32 bytes");
  }
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Value optional_text(const std::optional<std::string>& text) {
  if (text) return *text;
  return Null{};
}

std::optional<std::string> optional_column(const Row& row, std::size_t column) {
  if (row.is_null(column)) return std::nullopt;
  auto text = row.text(column);
  if (!text) return std::nullopt;
  return *text;
}

// Node hashes read through a Session (inside a transaction) or the Store (outside one).
template <typename Reader>
NodeSource node_source(Reader& reader) {
  return [&reader](unsigned level, std::uint64_t index) -> Result<Hash> {
    auto rows = level == 0
                    ? reader.query("SELECT leaf_hash FROM audit_entries WHERE idx = ?",
                                   {static_cast<std::int64_t>(index)})
                    : reader.query("SELECT hash FROM audit_nodes WHERE level = ? AND position = ?",
                                   {std::int64_t{level}, static_cast<std::int64_t>(index)});
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) {
      return fail(ErrorCode::kInternal, "the audit log lacks node " + std::to_string(level) + "/" +
                                            std::to_string(index));
    }
    return to_hash(rows->rows[0], 0);
  };
}

Result<AuditEntry> read_entry(const Row& row) {
  AuditEntry entry;
  auto index = row.integer(0);
  auto hash = to_hash(row, 2);
  auto time = row.integer(3);
  auto type = row.text(4);
  if (!index || !hash || !time || !type) {
    return fail(ErrorCode::kInternal, "an audit entry row is malformed");
  }
  entry.index = static_cast<std::uint64_t>(*index);
  entry.leaf_hash = *hash;
  entry.time = TimePoint(std::chrono::milliseconds(*time));
  entry.event_type = *type;
  if (!row.is_null(1)) {
    auto leaf = row.blob(1);
    if (!leaf) return tl::unexpected(leaf.error());
    entry.leaf = std::move(*leaf);
    if (auto event = decode_leaf(*entry.leaf)) entry.event = std::move(*event);
  }
  if (!row.is_null(8)) {
    auto purged = row.integer(8);
    if (purged) entry.purged_at = TimePoint(std::chrono::milliseconds(*purged));
  }
  return entry;
}

StoredCheckpoint read_checkpoint(const Row& row) {
  StoredCheckpoint out;
  out.tree_size = static_cast<std::uint64_t>(row.integer(0).value_or(0));
  out.root = to_hash(row, 1).value_or(Hash{});
  out.note = row.text(2).value_or("");
  out.created = TimePoint(std::chrono::milliseconds(row.integer(3).value_or(0)));
  return out;
}

}  // namespace

AuditLog::AuditLog(store::Store& store, AuditConfig config, const Clock& clock,
                   const Ed25519SigningKey* signer)
    : store_(store), config_(std::move(config)), clock_(clock), signer_(signer), group_(store) {}

Result<std::uint64_t> AuditLog::append(AuditEvent event) {
  if (event.time == TimePoint{}) event.time = clock_.now();
  auto leaf = encode_leaf(event);
  if (!leaf) return tl::unexpected(leaf.error());
  PendingAppend mine{&event, &*leaf, 0, {}, false};
  std::unique_lock lock(mutex_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (!leader_active_) {
      lead(lock);
    } else {
      finished_.wait(lock);
    }
  }
  if (!mine.result) return tl::unexpected(with_context(mine.result.error(), "audit log"));
  return mine.index;
}

void AuditLog::lead(std::unique_lock<std::mutex>& lock) {
  constexpr std::size_t kMaxBatch = 4096;
  leader_active_ = true;
  std::vector<PendingAppend*> batch;
  while (!queue_.empty() && batch.size() < kMaxBatch) {
    batch.push_back(queue_.front());
    queue_.pop_front();
  }
  lock.unlock();
  // Durable when run() returns: the commit group commits (and syncs) before answering.
  Status result = group_.run([&](store::Session& session) { return append_batch(session, batch); });
  lock.lock();
  for (PendingAppend* p : batch) {
    p->result = result;
    p->done = true;
  }
  leader_active_ = false;
  finished_.notify_all();
}

namespace {

// Multi-row INSERTs in a few fixed sizes, so that each backend prepares a handful of
// statements once.
constexpr std::size_t kRowChunks[] = {256, 64, 8, 1};

std::string insert_sql(std::string_view head, std::string_view row, std::size_t rows) {
  std::string sql(head);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += row;
  }
  return sql;
}

template <typename Fill>
Status insert_rows(store::Session& session, std::string_view head, std::string_view row,
                   std::size_t count, const Fill& fill) {
  std::size_t done = 0;
  for (std::size_t chunk : kRowChunks) {
    while (count - done >= chunk) {
      Params params;
      for (std::size_t i = done; i < done + chunk; ++i) fill(i, params);
      auto inserted = session.execute(insert_sql(head, row, chunk), params);
      if (!inserted) return tl::unexpected(inserted.error());
      done += chunk;
    }
  }
  return {};
}

}  // namespace

Status AuditLog::append_batch(store::Session& session, std::vector<PendingAppend*>& batch) {
  // The one counter row: its lock orders appenders of every process (on PostgreSQL the
  // second waits for the first to commit), and a rolled-back batch gives its indexes back,
  // so the sequence never has a gap.
  auto taken = session.query(
      "UPDATE audit_sequence SET next_index = next_index + ? WHERE id = 1 RETURNING next_index",
      {static_cast<std::int64_t>(batch.size())});
  if (!taken) return tl::unexpected(taken.error());
  if (taken->empty()) return fail(ErrorCode::kInternal, "audit_sequence has no row");
  auto next = taken->rows[0].integer(0);
  if (!next) return tl::unexpected(next.error());
  const auto first = static_cast<std::uint64_t>(*next) - batch.size();

  // The right edge of the tree as it stands: at most one stored hash per level.
  const NodeSource nodes = node_source(session);
  std::vector<Hash> edge;
  for (const auto& [level, position] : compact_range_nodes(first)) {
    auto hash = nodes(level, position);
    if (!hash) return tl::unexpected(hash.error());
    edge.push_back(*hash);
  }
  CompactRange range(first, std::move(edge));
  std::vector<Hash> leaf_hashes;
  std::vector<std::tuple<unsigned, std::uint64_t, Hash>> completed;
  std::vector<std::pair<std::uint64_t, Hash>> due;  // checkpoints: size, root
  for (PendingAppend* p : batch) {
    p->index = range.size();
    leaf_hashes.push_back(leaf_hash(*p->leaf));
    range.append(leaf_hashes.back(), [&](unsigned level, std::uint64_t index, const Hash& hash) {
      completed.emplace_back(level, index, hash);
    });
    // Every process agrees on which sizes are due a checkpoint without reading anything.
    if (config_.checkpoint_every_entries > 0 &&
        range.size() % config_.checkpoint_every_entries == 0) {
      due.emplace_back(range.size(), range.root());
    }
  }

  auto entries = insert_rows(
      session,
      "INSERT INTO audit_entries (idx, leaf, leaf_hash, time_ms, event_type, actor, user_id, "
      "content_id) VALUES ",
      "(?, ?, ?, ?, ?, ?, ?, ?)", batch.size(), [&](std::size_t i, Params& params) {
        const AuditEvent& e = *batch[i]->event;
        const Hash& hash = leaf_hashes[i];
        params.emplace_back(static_cast<std::int64_t>(batch[i]->index));
        params.emplace_back(*batch[i]->leaf);
        params.emplace_back(Bytes(hash.begin(), hash.end()));
        params.emplace_back(unix_millis(e.time));
        params.emplace_back(std::string(event_type_name(e.type)));
        params.emplace_back(e.actor);
        params.emplace_back(optional_text(e.user_id));
        params.emplace_back(optional_text(e.content_id));
      });
  if (!entries) return entries;
  // Every complete subtree the batch finishes, so proofs read O(log n) hashes.
  auto stored = insert_rows(session, "INSERT INTO audit_nodes (level, position, hash) VALUES ",
                            "(?, ?, ?)", completed.size(), [&](std::size_t i, Params& params) {
                              const auto& [level, position, hash] = completed[i];
                              params.emplace_back(std::int64_t{level});
                              params.emplace_back(static_cast<std::int64_t>(position));
                              params.emplace_back(Bytes(hash.begin(), hash.end()));
                            });
  if (!stored) return stored;
  for (const auto& [size, root] : due) {
    auto checkpoint = store_checkpoint(session, size, root);
    if (!checkpoint) return tl::unexpected(checkpoint.error());
  }
  return {};
}

Result<StoredCheckpoint> AuditLog::write_checkpoint(store::Session& session, std::uint64_t size) {
  auto root = tree_root(node_source(session), size);
  if (!root) return tl::unexpected(root.error());
  return store_checkpoint(session, size, *root);
}

Result<StoredCheckpoint> AuditLog::store_checkpoint(store::Session& session, std::uint64_t size,
                                                    const Hash& root) {
  if (signer_ == nullptr) {
    return fail(ErrorCode::kFailedPrecondition, "no audit signing key to sign a checkpoint with");
  }
  StoredCheckpoint out;
  out.tree_size = size;
  out.root = root;
  out.note = sign_checkpoint(Checkpoint{config_.origin, size, root}, config_.origin, *signer_);
  out.created = clock_.now();
  auto stored = session.execute(
      "INSERT INTO audit_checkpoints (tree_size, root_hash, note, created_ms) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (tree_size) DO NOTHING",
      {static_cast<std::int64_t>(size), Bytes(root.begin(), root.end()), out.note,
       unix_millis(out.created)});
  if (!stored) return tl::unexpected(stored.error());
  return out;
}

Result<std::uint64_t> AuditLog::size() {
  auto rows = store_.query("SELECT next_index FROM audit_sequence WHERE id = 1");
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kInternal, "audit_sequence has no row");
  auto n = rows->rows[0].integer(0);
  if (!n) return tl::unexpected(n.error());
  return static_cast<std::uint64_t>(*n);
}

Result<Hash> AuditLog::root(std::uint64_t tree_size) {
  auto current = size();
  if (!current) return tl::unexpected(current.error());
  if (tree_size > *current) {
    return fail(ErrorCode::kInvalidArgument, "the log has " + std::to_string(*current) +
                                                 " entries, fewer than " +
                                                 std::to_string(tree_size));
  }
  return tree_root(node_source(store_), tree_size);
}

Result<InclusionProof> AuditLog::prove_inclusion(std::uint64_t index, std::uint64_t tree_size) {
  auto current = size();
  if (!current) return tl::unexpected(current.error());
  if (tree_size > *current) {
    return fail(ErrorCode::kInvalidArgument, "the log has " + std::to_string(*current) +
                                                 " entries, fewer than " +
                                                 std::to_string(tree_size));
  }
  if (index >= tree_size) {
    return fail(ErrorCode::kInvalidArgument, "index " + std::to_string(index) +
                                                 " is not below the tree size " +
                                                 std::to_string(tree_size));
  }
  const NodeSource nodes = node_source(store_);
  InclusionProof out;
  out.tree_size = tree_size;
  out.leaf_index = index;
  auto leaf = nodes(0, index);
  auto root = tree_root(nodes, tree_size);
  auto path = inclusion_path(nodes, index, tree_size);
  if (!leaf) return tl::unexpected(leaf.error());
  if (!root) return tl::unexpected(root.error());
  if (!path) return tl::unexpected(path.error());
  out.leaf_hash = *leaf;
  out.root = *root;
  out.path = std::move(*path);
  return out;
}

Result<ConsistencyProof> AuditLog::prove_consistency(std::uint64_t first, std::uint64_t second) {
  auto current = size();
  if (!current) return tl::unexpected(current.error());
  if (second > *current || first > second) {
    return fail(ErrorCode::kInvalidArgument,
                "expected tree sizes with first <= second <= " + std::to_string(*current) +
                    ", got " + std::to_string(first) + " and " + std::to_string(second));
  }
  const NodeSource nodes = node_source(store_);
  ConsistencyProof out;
  out.first = first;
  out.second = second;
  auto first_root = tree_root(nodes, first);
  auto second_root = tree_root(nodes, second);
  auto proof = consistency_proof(nodes, first, second);
  if (!first_root) return tl::unexpected(first_root.error());
  if (!second_root) return tl::unexpected(second_root.error());
  if (!proof) return tl::unexpected(proof.error());
  out.first_root = *first_root;
  out.second_root = *second_root;
  out.proof = std::move(*proof);
  return out;
}

Result<std::optional<StoredCheckpoint>> AuditLog::latest_checkpoint() {
  auto rows = store_.query(
      "SELECT tree_size, root_hash, note, created_ms FROM audit_checkpoints "
      "ORDER BY tree_size DESC LIMIT 1");
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<StoredCheckpoint>();
  return std::optional<StoredCheckpoint>(read_checkpoint(rows->rows[0]));
}

Result<std::optional<StoredCheckpoint>> AuditLog::checkpoint_at(std::uint64_t tree_size) {
  auto rows = store_.query(
      "SELECT tree_size, root_hash, note, created_ms FROM audit_checkpoints WHERE tree_size = ?",
      {static_cast<std::int64_t>(tree_size)});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<StoredCheckpoint>();
  return std::optional<StoredCheckpoint>(read_checkpoint(rows->rows[0]));
}

Result<StoredCheckpoint> AuditLog::publish_checkpoint() {
  StoredCheckpoint out;
  auto done = store_.transact([&](store::Session& session) -> Status {
    auto rows = session.query("SELECT next_index FROM audit_sequence WHERE id = 1");
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) return fail(ErrorCode::kInternal, "audit_sequence has no row");
    const auto n = static_cast<std::uint64_t>(rows->rows[0].integer(0).value_or(0));
    auto written = write_checkpoint(session, n);
    if (!written) return tl::unexpected(written.error());
    out = std::move(*written);
    return {};
  });
  if (!done) return tl::unexpected(with_context(done.error(), "audit checkpoint"));
  // Another process may have published the same size first; answer with the stored one.
  auto stored = checkpoint_at(out.tree_size);
  if (stored && *stored) return **stored;
  return out;
}

Result<std::optional<StoredCheckpoint>> AuditLog::checkpoint_if_due() {
  auto latest = latest_checkpoint();
  if (!latest) return tl::unexpected(latest.error());
  auto current = size();
  if (!current) return tl::unexpected(current.error());
  bool due = !*latest;
  if (*latest && *current > (*latest)->tree_size) {
    const auto age = clock_.now() - (*latest)->created;
    due = age >= std::chrono::seconds(config_.checkpoint_every_seconds) ||
          *current - (*latest)->tree_size >= config_.checkpoint_every_entries;
  }
  if (!due) return std::optional<StoredCheckpoint>();
  auto published = publish_checkpoint();
  if (!published) return tl::unexpected(published.error());
  return std::optional<StoredCheckpoint>(std::move(*published));
}

Result<std::vector<AuditEntry>> AuditLog::entries(const EntryFilter& filter) {
  std::string sql(kEntryColumns);
  sql += "WHERE idx >= ?";
  Params params{static_cast<std::int64_t>(filter.start_index)};
  if (filter.from) {
    sql += " AND time_ms >= ?";
    params.emplace_back(unix_millis(*filter.from));
  }
  if (filter.to) {
    sql += " AND time_ms < ?";
    params.emplace_back(unix_millis(*filter.to));
  }
  if (filter.type) {
    sql += " AND event_type = ?";
    params.emplace_back(std::string(event_type_name(*filter.type)));
  }
  if (filter.user_id) {
    sql += " AND user_id = ?";
    params.emplace_back(*filter.user_id);
  }
  if (filter.content_id) {
    sql += " AND content_id = ?";
    params.emplace_back(*filter.content_id);
  }
  sql += " ORDER BY idx LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(filter.limit));
  auto rows = store_.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<AuditEntry> out;
  out.reserve(rows->size());
  for (const auto& row : rows->rows) {
    auto entry = read_entry(row);
    if (!entry) return tl::unexpected(entry.error());
    out.push_back(std::move(*entry));
  }
  return out;
}

Result<std::optional<AuditEntry>> AuditLog::entry(std::uint64_t index) {
  EntryFilter filter;
  filter.start_index = index;
  filter.limit = 1;
  auto found = entries(filter);
  if (!found) return tl::unexpected(found.error());
  if (found->empty() || found->front().index != index) return std::optional<AuditEntry>();
  return std::optional<AuditEntry>(std::move(found->front()));
}

Result<PurgeResult> AuditLog::purge_before(TimePoint cutoff, const std::string& actor) {
  const TimePoint now = clock_.now();
  const auto retention = std::chrono::days(config_.retention_days);
  if (cutoff > now - retention) {
    return fail(ErrorCode::kFailedPrecondition,
                "refused: entries after " + std::to_string(unix_millis(now - retention)) +
                    " ms are inside the retention period of " +
                    std::to_string(config_.retention_days) + " days");
  }
  PurgeResult out;
  AuditEvent event;
  event.type = EventType::kAuditPurged;
  event.time = now;
  event.actor = actor;
  auto done = store_.transact([&](store::Session& session) -> Status {
    auto purged = session.execute(
        "UPDATE audit_entries SET leaf = NULL, actor = NULL, user_id = NULL, content_id = NULL, "
        "purged_at_ms = ? WHERE time_ms < ? AND leaf IS NOT NULL",
        {unix_millis(now), unix_millis(cutoff)});
    if (!purged) return tl::unexpected(purged.error());
    out.purged = static_cast<std::uint64_t>(*purged);
    event.details = {{"before_ms", std::to_string(unix_millis(cutoff))},
                     {"entries", std::to_string(out.purged)}};
    auto leaf = encode_leaf(event);
    if (!leaf) return tl::unexpected(leaf.error());
    PendingAppend record{&event, &*leaf, 0, {}, false};
    std::vector<PendingAppend*> batch{&record};
    if (auto appended = append_batch(session, batch); !appended) return appended;
    out.event_index = record.index;
    return {};
  });
  if (!done) return tl::unexpected(with_context(done.error(), "audit purge"));
  return out;
}

Result<PeriodSummary> AuditLog::summarize(TimePoint from, TimePoint to) {
  PeriodSummary out;
  out.from = from;
  out.to = to;
  auto rows = store_.query(
      "SELECT event_type, COUNT(*), MIN(idx), MAX(idx) FROM audit_entries "
      "WHERE time_ms >= ? AND time_ms < ? GROUP BY event_type",
      {unix_millis(from), unix_millis(to)});
  if (!rows) return tl::unexpected(rows.error());
  for (const auto& row : rows->rows) {
    const auto count = static_cast<std::uint64_t>(row.integer(1).value_or(0));
    const auto low = static_cast<std::uint64_t>(row.integer(2).value_or(0));
    const auto high = static_cast<std::uint64_t>(row.integer(3).value_or(0));
    out.by_type[row.text(0).value_or("")] = count;
    out.entries += count;
    out.first_index = std::min(out.first_index.value_or(low), low);
    out.last_index = std::max(out.last_index.value_or(high), high);
  }
  auto checkpoints = store_.query(
      "SELECT COUNT(*), MAX(tree_size) FROM audit_checkpoints WHERE created_ms >= ? AND "
      "created_ms < ?",
      {unix_millis(from), unix_millis(to)});
  if (!checkpoints) return tl::unexpected(checkpoints.error());
  if (!checkpoints->empty()) {
    const auto& row = checkpoints->rows[0];
    out.checkpoints = static_cast<std::uint64_t>(row.integer(0).value_or(0));
    if (!row.is_null(1)) {
      out.last_checkpoint_size = static_cast<std::uint64_t>(row.integer(1).value_or(0));
    }
  }
  return out;
}

Result<std::string> AuditLog::verifier_key_text() const {
  if (signer_ == nullptr) return fail(ErrorCode::kFailedPrecondition, "no audit signing key");
  return verifier_key(config_.origin, signer_->public_key());
}

Result<VerifierKey> AuditLog::own_verifier_key() const {
  auto text = verifier_key_text();
  if (!text) return tl::unexpected(text.error());
  return parse_verifier_key(*text);
}

Result<VerifyReport> AuditLog::verify(const VerifierKey& key) {
  VerifyReport report;
  const auto problem = [&report](std::string what) {
    if (report.problems.size() < 100) report.problems.push_back(std::move(what));
  };
  auto n = size();
  if (!n) return tl::unexpected(n.error());
  report.tree_size = *n;

  auto checkpoint_rows = store_.query(
      "SELECT tree_size, root_hash, note, created_ms FROM audit_checkpoints WHERE tree_size <= ? "
      "ORDER BY tree_size",
      {static_cast<std::int64_t>(*n)});
  if (!checkpoint_rows) return tl::unexpected(checkpoint_rows.error());
  std::vector<StoredCheckpoint> checkpoints;
  for (const auto& row : checkpoint_rows->rows) checkpoints.push_back(read_checkpoint(row));
  std::size_t next_checkpoint = 0;
  bool checkpoints_ok = true;
  const auto check_checkpoint = [&](const StoredCheckpoint& cp, const Hash& computed) {
    ++report.checkpoints_checked;
    report.latest_checkpoint_size = cp.tree_size;
    const std::string name = "checkpoint of size " + std::to_string(cp.tree_size);
    auto opened = open_checkpoint(cp.note, key);
    if (!opened) {
      problem(name + ": " + opened.error().message);
      checkpoints_ok = false;
      return;
    }
    if (opened->tree_size != cp.tree_size || opened->origin != config_.origin) {
      problem(name + ": its note names size " + std::to_string(opened->tree_size) + " of origin " +
              opened->origin);
      checkpoints_ok = false;
    }
    if (opened->root != computed || cp.root != computed) {
      problem(name + ": the signed root does not match the leaves");
      checkpoints_ok = false;
    }
  };
  while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].tree_size == 0) {
    check_checkpoint(checkpoints[next_checkpoint++], empty_root());
  }

  const auto retention_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::days(config_.retention_days))
                                .count();
  CompactRange range;
  bool continuous = true;
  constexpr std::int64_t kChunk = 8192;
  while (continuous && range.size() < *n) {
    const std::uint64_t chunk_begin = range.size();
    auto rows = store_.query(std::string(kEntryColumns) + "WHERE idx >= ? AND idx < ? ORDER BY idx",
                             {static_cast<std::int64_t>(chunk_begin),
                              static_cast<std::int64_t>(std::min<std::uint64_t>(
                                  *n, chunk_begin + static_cast<std::uint64_t>(kChunk)))});
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) {
      problem("entry " + std::to_string(chunk_begin) + " is missing");
      continuous = false;
      break;
    }
    std::map<std::pair<unsigned, std::uint64_t>, Hash> computed;
    for (const auto& row : rows->rows) {
      ++report.entries_checked;
      const auto index = static_cast<std::uint64_t>(row.integer(0).value_or(-1));
      if (index != range.size()) {
        problem("entry " + std::to_string(range.size()) + " is missing (next is " +
                std::to_string(index) + ")");
        continuous = false;
        break;
      }
      const std::string at = "entry " + std::to_string(index);
      auto stored_hash = to_hash(row, 2);
      if (!stored_hash) {
        problem(at + ": the leaf hash is not 32 bytes");
        stored_hash = Hash{};
      }
      if (!row.is_null(1)) {
        ++report.payloads_checked;
        const Bytes leaf = row.blob(1).value_or(Bytes{});
        if (leaf_hash(leaf) != *stored_hash) problem(at + ": the leaf does not match its hash");
        auto event = decode_leaf(leaf);
        if (!event) {
          problem(at + ": " + event.error().message);
        } else if (row.integer(3).value_or(-1) != unix_millis(event->time) ||
                   row.text(4).value_or("") != event_type_name(event->type) ||
                   optional_column(row, 5) != std::optional<std::string>(event->actor) ||
                   optional_column(row, 6) != event->user_id ||
                   optional_column(row, 7) != event->content_id) {
          problem(at + ": its query columns do not match its leaf");
        }
        if (!row.is_null(8)) problem(at + ": marked purged but keeps its payload");
      } else {
        ++report.purged;
        const auto purged_at = row.is_null(8) ? -1 : row.integer(8).value_or(-1);
        if (purged_at < 0 || purged_at - row.integer(3).value_or(0) < retention_ms) {
          problem(at + ": its payload is gone inside the retention period");
        }
      }
      range.append(*stored_hash,
                   [&computed](unsigned level, std::uint64_t position, const Hash& hash) {
                     computed[{level, position}] = hash;
                   });
      while (next_checkpoint < checkpoints.size() &&
             checkpoints[next_checkpoint].tree_size == range.size()) {
        check_checkpoint(checkpoints[next_checkpoint++], range.root());
      }
    }
    // The stored subtree hashes that proofs are built from must be the recomputed ones.
    std::map<unsigned, std::pair<std::uint64_t, std::uint64_t>> spans;
    for (const auto& [where, hash] : computed) {
      auto [it, fresh] = spans.try_emplace(where.first, where.second, where.second);
      if (!fresh) it->second.second = std::max(it->second.second, where.second);
    }
    for (const auto& [level, span] : spans) {
      auto stored = store_.query(
          "SELECT position, hash FROM audit_nodes WHERE level = ? AND position >= ? AND "
          "position <= ?",
          {std::int64_t{level}, static_cast<std::int64_t>(span.first),
           static_cast<std::int64_t>(span.second)});
      if (!stored) return tl::unexpected(stored.error());
      std::size_t matched = 0;
      for (const auto& row : stored->rows) {
        const auto position = static_cast<std::uint64_t>(row.integer(0).value_or(-1));
        auto it = computed.find({level, position});
        auto hash = to_hash(row, 1);
        if (it == computed.end() || !hash || *hash != it->second) {
          problem("node " + std::to_string(level) + "/" + std::to_string(position) +
                  " does not match the leaves");
        } else {
          ++matched;
        }
      }
      if (matched != span.second - span.first + 1) {
        problem("nodes of level " + std::to_string(level) + " are missing");
      }
    }
  }
  if (continuous && range.size() != *n) continuous = false;
  report.sequence_continuous = continuous;
  if (next_checkpoint != checkpoints.size()) {
    checkpoints_ok = false;
    problem("checkpoints beyond the verified entries were not checked");
  }
  report.checkpoint_chain_ok = checkpoints_ok;
  report.root = range.root();
  report.ok = report.problems.empty() && continuous && checkpoints_ok;
  return report;
}

}  // namespace synthgate::audit
