#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/database_url.hpp"
#include "store/value.hpp"

namespace synthgate::store {

// A database connection lent for the length of one transaction.
// Statements use `?` placeholders on every backend.
class Session {
 public:
  virtual ~Session() = default;
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<std::int64_t> execute(std::string_view sql, const Params& params = {}) = 0;
  // Several statements without parameters, separated by semicolons (migrations).
  virtual Status execute_script(std::string_view sql) = 0;
};

using Work = std::function<Status(Session&)>;

// The one interface every record module (identity, consent, audit, complaints) stores
// through. Errors: a unique-key clash is kAlreadyExists, a lost race kConflict, an
// unreachable database kUnavailable.
class Store {
 public:
  virtual ~Store() = default;

  virtual Backend backend() const = 0;
  // The database URL without its password.
  virtual std::string describe() const = 0;

  // One read statement outside any transaction.
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;

  // Runs `work` in one transaction: committed, and durable, when `work` and the commit
  // succeed; rolled back otherwise, with `work`'s error returned.
  virtual Status transact(const Work& work) = 0;

  // A round trip to the database (health checks).
  virtual Status ping() = 0;

  // One statement in a transaction of its own.
  Result<std::int64_t> execute(std::string_view sql, const Params& params = {});
};

struct StoreOptions {
  unsigned pool_size = 4;
  unsigned busy_timeout_ms = 5000;
};

// Opens (and for SQLite creates) the database a URL names.
Result<std::unique_ptr<Store>> open_store(const DatabaseUrl& url, const StoreOptions& options);

}  // namespace synthgate::store
