#include "audit/audit_schema.hpp"

namespace synthgate::audit {

namespace {

// Entries are never deleted: a trigger refuses it, so even a careless maintenance script
// cannot punch a hole into the sequence (purging clears payloads and keeps the row).
constexpr std::string_view kSqlite = R"sql(
CREATE TABLE audit_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), next_index BIGINT NOT NULL);
INSERT INTO audit_sequence (id, next_index) VALUES (1, 0);
CREATE TABLE audit_entries (
  idx INTEGER PRIMARY KEY,
  leaf BLOB,
  leaf_hash BLOB NOT NULL,
  time_ms BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  actor TEXT,
  user_id TEXT,
  content_id TEXT,
  purged_at_ms BIGINT
);
CREATE INDEX audit_entries_time ON audit_entries (time_ms);
CREATE INDEX audit_entries_type ON audit_entries (event_type, time_ms);
CREATE INDEX audit_entries_user ON audit_entries (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX audit_entries_content ON audit_entries (content_id) WHERE content_id IS NOT NULL;
CREATE TABLE audit_nodes (
  level INTEGER NOT NULL,
  position BIGINT NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, position)
) WITHOUT ROWID;
CREATE TABLE audit_checkpoints (
  tree_size BIGINT PRIMARY KEY,
  root_hash BLOB NOT NULL,
  note TEXT NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE TRIGGER audit_entries_append_only BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
)sql";

constexpr std::string_view kPostgresql = R"sql(
CREATE TABLE audit_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), next_index BIGINT NOT NULL);
INSERT INTO audit_sequence (id, next_index) VALUES (1, 0);
CREATE TABLE audit_entries (
  idx BIGINT PRIMARY KEY,
  leaf BYTEA,
  leaf_hash BYTEA NOT NULL,
  time_ms BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  actor TEXT,
  user_id TEXT,
  content_id TEXT,
  purged_at_ms BIGINT
);
CREATE INDEX audit_entries_time ON audit_entries (time_ms);
CREATE INDEX audit_entries_type ON audit_entries (event_type, time_ms);
CREATE INDEX audit_entries_user ON audit_entries (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX audit_entries_content ON audit_entries (content_id) WHERE content_id IS NOT NULL;
CREATE TABLE audit_nodes (
  level INTEGER NOT NULL,
  position BIGINT NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (level, position)
);
CREATE TABLE audit_checkpoints (
  tree_size BIGINT PRIMARY KEY,
  root_hash BYTEA NOT NULL,
  note TEXT NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE FUNCTION audit_entries_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$;
CREATE TRIGGER audit_entries_append_only BEFORE DELETE ON audit_entries
FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_delete();
)sql";

}  // namespace

const store::MigrationSet& audit_migrations() {
  static const store::MigrationSet set{
      "audit", {{1, "merkle log, nodes and checkpoints", kSqlite, kPostgresql}}};
  return set;
}

}  // namespace synthgate::audit
