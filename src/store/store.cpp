#include "store/store.hpp"

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace synthgate::store {

Result<std::int64_t> Store::execute(std::string_view sql, const Params& params) {
  std::int64_t changed = 0;
  auto done = transact([&](Session& session) -> Status {
    auto n = session.execute(sql, params);
    if (!n) return tl::unexpected(n.error());
    changed = *n;
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return changed;
}

Result<std::unique_ptr<Store>> open_store(const DatabaseUrl& url, const StoreOptions& options) {
  Result<std::unique_ptr<Store>> store = url.backend == Backend::kSqlite
                                             ? open_sqlite_store(url.sqlite_path, options)
                                             : open_postgres_store(url.postgres_uri, options);
  if (!store) {
    return tl::unexpected(with_context(store.error(), "database " + url.redacted()));
  }
  return store;
}

}  // namespace synthgate::store
