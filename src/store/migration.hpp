#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace synthgate::store {

// One schema change. Most SQL runs unchanged on both backends; where it cannot (types such
// as BLOB/BYTEA, identity columns), the PostgreSQL text is given beside the SQLite one.
struct Migration {
  int version;  // 1, 2, 3, ... within its module
  std::string_view name;
  std::string_view sql;
  std::string_view postgresql_sql = {};  // empty: same as sql
};

// The migrations of one module (identity, consent, audit, ...), in version order. Each
// module owns its tables; the program hands every module's set to migrate().
struct MigrationSet {
  std::string_view module;
  std::vector<Migration> migrations;
};

struct AppliedMigration {
  std::string module;
  int version;
  std::string name;
};

// Brings the schema up to date in one transaction, serialised against other processes
// doing the same (an advisory lock on PostgreSQL, the write lock on SQLite). Refuses a
// database whose schema is newer than this program knows. Returns what it applied.
Result<std::vector<AppliedMigration>> migrate(Store& store, std::span<const MigrationSet> sets,
                                              const Clock& clock);

}  // namespace synthgate::store
