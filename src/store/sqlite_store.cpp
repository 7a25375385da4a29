#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <mutex>
#include <system_error>
#include <unordered_map>

#include "store/connection_pool.hpp"
#include "store/connection_session.hpp"

namespace synthgate::store {

namespace fs = std::filesystem;

namespace {

ErrorCode code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
                 ? ErrorCode::kAlreadyExists
                 : ErrorCode::kFailedPrecondition;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kConflict;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return ErrorCode::kUnavailable;
    default:
      return ErrorCode::kInternal;
  }
}

// One sqlite3 handle with its prepared statements, used by one thread at a time.
class SqliteConnection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> open(const fs::path& path,
                                                        unsigned busy_timeout_ms) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(
        path.c_str(), &db,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
        nullptr);
    auto conn = std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
    if (rc != SQLITE_OK) {
      return fail(code_for(rc), db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
    sqlite3_busy_timeout(db, static_cast<int>(busy_timeout_ms));
    // journal_mode answers with a row, so it goes through query(); it also makes SQLite
    // read the header, which is where a file that is not a database is noticed.
    auto mode = conn->query("PRAGMA journal_mode=WAL", {});
    if (!mode) return tl::unexpected(mode.error());
    if (auto pragmas = conn->script("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"); !pragmas) {
      return tl::unexpected(pragmas.error());
    }
    return conn;
  }

  ~SqliteConnection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<Rows> query(std::string_view sql, const Params& params) {
    auto stmt = prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    if (auto bound = bind(*stmt, params); !bound) return tl::unexpected(bound.error());
    Rows out;
    const int columns = sqlite3_column_count(*stmt);
    for (int i = 0; i < columns; ++i) out.columns.emplace_back(sqlite3_column_name(*stmt, i));
    for (;;) {
      const int rc = sqlite3_step(*stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        sqlite3_reset(*stmt);
        return error(rc);
      }
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int i = 0; i < columns; ++i) values.push_back(column(*stmt, i));
      out.rows.emplace_back(std::move(values));
    }
    sqlite3_reset(*stmt);
    return out;
  }

  Result<std::int64_t> execute(std::string_view sql, const Params& params) {
    auto rows = query(sql, params);
    if (!rows) return tl::unexpected(rows.error());
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Status script(std::string_view sql) {
    char* message = nullptr;
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string why = message ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return fail(code_for(sqlite3_extended_errcode(db_)), why);
    }
    return {};
  }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  tl::unexpected<Error> error(int rc) const { return fail(code_for(rc), sqlite3_errmsg(db_)); }

  Result<sqlite3_stmt*> prepare(std::string_view sql) {
    const std::string key(sql);
    if (auto it = statements_.find(key); it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return error(rc);
    if (stmt == nullptr) return fail(ErrorCode::kInternal, "empty SQL statement");
    statements_.emplace(key, stmt);
    return stmt;
  }

  Status bind(sqlite3_stmt* stmt, const Params& params) {
    sqlite3_clear_bindings(stmt);
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<std::size_t>(expected) != params.size()) {
      return fail(ErrorCode::kInternal, "statement takes " + std::to_string(expected) +
                                            " parameters, got " + std::to_string(params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i) + 1;
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<Null>(v)) {
        rc = sqlite3_bind_null(stmt, at);
      } else if (auto n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, at, *n);
      } else if (auto d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, at, *d);
      } else if (auto s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, at, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else if (auto b = std::get_if<Bytes>(&v)) {
        rc = sqlite3_bind_blob64(stmt, at, b->empty() ? "" : static_cast<const void*>(b->data()),
                                 b->size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return error(rc);
    }
    return {};
  }

  static Value column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        return std::int64_t{sqlite3_column_int64(stmt, i)};
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, i);
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      }
      case SQLITE_BLOB: {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, i));
        const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
        return p ? Bytes(p, p + n) : Bytes{};
      }
      default:
        return Null{};
    }
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(fs::path path, std::unique_ptr<SqliteConnection> writer, const StoreOptions& options)
      : path_(std::move(path)),
        writer_(std::move(writer)),
        readers_(options.pool_size, [path = path_, timeout = options.busy_timeout_ms] {
          return SqliteConnection::open(path, timeout);
        }) {}

  Backend backend() const override { return Backend::kSqlite; }
  std::string describe() const override { return "sqlite:" + path_.string(); }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto reader = readers_.borrow();
    if (!reader) return tl::unexpected(reader.error());
    return (*reader)->query(sql, params);
  }

  Status transact(const Work& work) override {
    std::lock_guard lock(writer_mutex_);
    // IMMEDIATE takes the write lock now, so two processes cannot both read and then
    // fail to upgrade; the busy timeout makes the later one wait.
    if (auto begun = writer_->script("BEGIN IMMEDIATE"); !begun) return begun;
    ConnectionSession<SqliteConnection> session(*writer_);
    Status result = work(session);
    if (result) {
      result = writer_->script("COMMIT");
      if (result) return result;
    }
    (void)writer_->script("ROLLBACK");
    return result;
  }

  Status ping() override {
    auto rows = query("SELECT 1", {});
    if (!rows) return tl::unexpected(rows.error());
    return {};
  }

 private:
  fs::path path_;
  std::mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;
  ConnectionPool<SqliteConnection> readers_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const fs::path& path,
                                                 const StoreOptions& options) {
  if (path.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      return fail(ErrorCode::kUnavailable,
                  "cannot create directory " + path.parent_path().string() + ": " + ec.message());
    }
  }
  auto writer = SqliteConnection::open(path, options.busy_timeout_ms);
  if (!writer) return tl::unexpected(writer.error());
  return std::unique_ptr<Store>(new SqliteStore(path, std::move(*writer), options));
}

}  // namespace synthgate::store
