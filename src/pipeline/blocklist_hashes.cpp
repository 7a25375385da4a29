#include "pipeline/blocklist_hashes.hpp"

namespace synthgate::pipeline {

namespace {

constexpr std::string_view kSql = R"sql(
CREATE TABLE blocklist_hashes (
  hash TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  actor TEXT NOT NULL,
  added_ms BIGINT NOT NULL
);
)sql";

}  // namespace

BlocklistHashes::BlocklistHashes(store::Store& store, moderation::ActiveBlocklist& active,
                                 std::vector<moderation::BlocklistEntry> configured)
    : store_(store), active_(active), configured_(std::move(configured)) {}

Status BlocklistHashes::add(const moderation::PdqHash& hash, const std::string& label,
                            const std::string& actor, std::int64_t added_ms) {
  auto added = store_.execute(
      "INSERT INTO blocklist_hashes (hash, label, actor, added_ms) VALUES (?, ?, ?, ?)",
      {hash.hex(), label, actor, added_ms});
  if (!added && added.error().code != ErrorCode::kAlreadyExists) {
    return tl::unexpected(added.error());
  }
  return refresh();
}

Status BlocklistHashes::refresh() {
  std::lock_guard lock(mutex_);
  auto rows = store_.query("SELECT hash, label FROM blocklist_hashes ORDER BY added_ms, hash");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<moderation::BlocklistEntry> entries = configured_;
  for (const auto& row : rows->rows) {
    auto hex = row.text(0);
    auto label = row.text(1);
    if (!hex || !label) return fail(ErrorCode::kInternal, "a stored blocklist hash is unreadable");
    auto hash = moderation::PdqHash::from_hex(*hex);
    if (!hash) return fail(ErrorCode::kInternal, "a stored blocklist hash is not PDQ hex");
    entries.push_back({*hash, *label});
  }
  if (entries.empty()) {
    active_.replace(nullptr);
    return {};
  }
  active_.replace(std::make_shared<const moderation::HashBlocklist>(std::move(entries)));
  return {};
}

const store::MigrationSet& blocklist_migrations() {
  static const store::MigrationSet set{"blocklist",
                                       {{1, "PDQ hashes added while running", kSql, {}}}};
  return set;
}

}  // namespace synthgate::pipeline
