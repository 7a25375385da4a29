#include "store/migration.hpp"

#include <map>

namespace synthgate::store {

namespace {
constexpr std::string_view kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " module TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at_ms BIGINT NOT NULL,"
    " PRIMARY KEY (module, version))";

// Any fixed number works; it only has to be the same in every SynthGate process.
constexpr std::string_view kPostgresLock = "SELECT pg_advisory_xact_lock(7360212951)";

Status check_set(const MigrationSet& set) {
  for (std::size_t i = 0; i < set.migrations.size(); ++i) {
    if (set.migrations[i].version != static_cast<int>(i) + 1) {
      return fail(ErrorCode::kInternal,
                  "migrations of " + std::string(set.module) + " are not numbered 1, 2, 3, ...");
    }
  }
  return {};
}
}  // namespace

Result<std::vector<AppliedMigration>> migrate(Store& store, std::span<const MigrationSet> sets,
                                              const Clock& clock) {
  for (const auto& set : sets) {
    if (auto ok = check_set(set); !ok) return tl::unexpected(ok.error());
  }
  const bool postgres = store.backend() == Backend::kPostgresql;
  std::vector<AppliedMigration> applied;
  auto done = store.transact([&](Session& session) -> Status {
    applied.clear();  // a retried transaction starts over
    if (postgres) {
      if (auto locked = session.query(kPostgresLock); !locked)
        return tl::unexpected(locked.error());
    }
    if (auto made = session.execute(kCreateLedger); !made) return tl::unexpected(made.error());
    auto rows = session.query("SELECT module, MAX(version) FROM schema_migrations GROUP BY module");
    if (!rows) return tl::unexpected(rows.error());
    std::map<std::string, std::int64_t, std::less<>> current;
    for (const auto& row : rows->rows) {
      auto module = row.text(0);
      auto version = row.integer(1);
      if (!module || !version) return fail(ErrorCode::kInternal, "schema_migrations is malformed");
      current[*module] = *version;
    }
    for (const auto& set : sets) {
      const auto it = current.find(set.module);
      const std::int64_t have = it == current.end() ? 0 : it->second;
      if (have > static_cast<std::int64_t>(set.migrations.size())) {
        return fail(ErrorCode::kFailedPrecondition,
                    "the database schema of " + std::string(set.module) + " is at version " +
                        std::to_string(have) + ", newer than this program knows (" +
                        std::to_string(set.migrations.size()) + "); upgrade synthgate");
      }
      for (const auto& m : set.migrations) {
        if (m.version <= have) continue;
        const std::string_view sql =
            postgres && !m.postgresql_sql.empty() ? m.postgresql_sql : m.sql;
        if (auto ran = session.execute_script(sql); !ran) {
          return tl::unexpected(with_context(ran.error(), "migration " + std::string(set.module) +
                                                              " " + std::to_string(m.version) +
                                                              " (" + std::string(m.name) + ")"));
        }
        auto noted = session.execute(
            "INSERT INTO schema_migrations (module, version, name, applied_at_ms) VALUES (?, ?, ?, "
            "?)",
            {std::string(set.module), std::int64_t{m.version}, std::string(m.name),
             unix_millis(clock.now())});
        if (!noted) return tl::unexpected(noted.error());
        applied.push_back({std::string(set.module), m.version, std::string(m.name)});
      }
    }
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return applied;
}

}  // namespace synthgate::store
