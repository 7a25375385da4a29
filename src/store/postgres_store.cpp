#include "store/postgres_store.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>

#include "store/connection_pool.hpp"
#include "store/connection_session.hpp"

namespace synthgate::store {

namespace {

// Type OIDs from PostgreSQL's pg_type.h, which libpq-dev does not ship.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

using PgResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string first_line(const char* message) {
  std::string text = message ? message : "";
  if (const auto nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  return text;
}

ErrorCode code_for_sqlstate(const char* state) {
  if (state == nullptr) return ErrorCode::kUnavailable;  // no server answer: the link broke
  const std::string_view s(state);
  if (s == "23505") return ErrorCode::kAlreadyExists;
  if (s.starts_with("23")) return ErrorCode::kFailedPrecondition;
  if (s == "40001" || s == "40P01" || s == "55P03") return ErrorCode::kConflict;
  if (s.starts_with("08") || s.starts_with("57P") || s == "53300") return ErrorCode::kUnavailable;
  return ErrorCode::kInternal;
}

// PostgreSQL's text output of integer and float columns; from_chars, unlike stoll/stod,
// cannot throw. Values the server sends are always well formed, so failure yields 0.
std::int64_t parse_integer(const char* text, std::size_t len) {
  std::int64_t v = 0;
  std::from_chars(text, text + len, v);
  return v;
}

double parse_real(const char* text, std::size_t len) {
  const std::string_view s(text, len);
  if (s == "Infinity") return std::numeric_limits<double>::infinity();
  if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  double v = 0;
  std::from_chars(text, text + len, v);
  return v;
}

class PostgresConnection {
 public:
  static Result<std::unique_ptr<PostgresConnection>> connect(const std::string& uri) {
    // Earlier keywords are defaults that the URI (expanded from dbname) may override.
    const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"5", "synthgate", uri.c_str(), nullptr};
    PGconn* conn = PQconnectdbParams(keywords, values, 1);
    auto out = std::unique_ptr<PostgresConnection>(new PostgresConnection(conn));
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
      return fail(ErrorCode::kUnavailable,
                  "cannot connect: " + first_line(conn ? PQerrorMessage(conn) : "out of memory"));
    }
    // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return out;
  }

  ~PostgresConnection() { PQfinish(conn_); }
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }

  Result<Rows> query(std::string_view sql, const Params& params) {
    auto res = run(sql, params);
    if (!res) return tl::unexpected(res.error());
    return rows(res->get());
  }

  Result<std::int64_t> execute(std::string_view sql, const Params& params) {
    auto res = run(sql, params);
    if (!res) return tl::unexpected(res.error());
    const char* tuples = PQcmdTuples(res->get());
    return tuples && *tuples ? parse_integer(tuples, std::strlen(tuples)) : std::int64_t{0};
  }

  Status script(std::string_view sql) {
    const std::string text(sql);
    PgResult res(PQexec(conn_, text.c_str()), &PQclear);
    return check(res.get());
  }

 private:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}

  Status check(PGresult* res) const {
    const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const char* message = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
    if (message == nullptr || *message == '\0') message = PQerrorMessage(conn_);
    return fail(code_for_sqlstate(state), first_line(message));
  }

  Result<PgResult> run(std::string_view sql, const Params& params) {
    const std::string text = to_postgres_placeholders(sql);
    const std::size_t n = params.size();
    std::vector<std::string> texts(n);
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0);
    std::vector<int> formats(n, 0);
    std::vector<Oid> types(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<Null>(v)) continue;
      if (auto b = std::get_if<Bytes>(&v)) {
        values[i] = reinterpret_cast<const char*>(b->data());
        lengths[i] = static_cast<int>(b->size());
        formats[i] = 1;
        types[i] = kByteaOid;
        if (b->empty()) values[i] = "";
        continue;
      }
      if (auto num = std::get_if<std::int64_t>(&v)) {
        texts[i] = std::to_string(*num);
        types[i] = kInt8Oid;
      } else if (auto d = std::get_if<double>(&v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        texts[i] = buf;
        types[i] = kFloat8Oid;
      } else if (auto s = std::get_if<std::string>(&v)) {
        texts[i] = *s;
      }
      values[i] = texts[i].c_str();
    }
    PgResult res(PQexecParams(conn_, text.c_str(), static_cast<int>(n), types.data(), values.data(),
                              lengths.data(), formats.data(), 0),
                 &PQclear);
    if (auto ok = check(res.get()); !ok) return tl::unexpected(ok.error());
    return res;
  }

  static Rows rows(PGresult* res) {
    Rows out;
    const int ncols = PQnfields(res);
    const int nrows = PQntuples(res);
    for (int c = 0; c < ncols; ++c) out.columns.emplace_back(PQfname(res, c));
    out.rows.reserve(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(ncols));
      for (int c = 0; c < ncols; ++c) values.push_back(value(res, r, c));
      out.rows.emplace_back(std::move(values));
    }
    return out;
  }

  static Value value(PGresult* res, int r, int c) {
    if (PQgetisnull(res, r, c)) return Null{};
    const char* text = PQgetvalue(res, r, c);
    const auto len = static_cast<std::size_t>(PQgetlength(res, r, c));
    switch (PQftype(res, c)) {
      case kBoolOid:
        return std::int64_t{text[0] == 't' ? 1 : 0};
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
      case kOidOid:
        return parse_integer(text, len);
      case kFloat4Oid:
      case kFloat8Oid:
        return parse_real(text, len);
      case kByteaOid: {
        std::size_t n = 0;
        unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
        Bytes out(raw, raw + n);
        PQfreemem(raw);
        return out;
      }
      default:
        return std::string(text, len);
    }
  }

  PGconn* conn_;
};

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string uri, std::unique_ptr<PostgresConnection> first,
                const StoreOptions& options)
      : uri_(std::move(uri)),
        pool_(options.pool_size, [uri = uri_] { return PostgresConnection::connect(uri); }) {
    pool_.adopt(std::move(first));  // the connection that proved the URL works
  }

  Backend backend() const override { return Backend::kPostgresql; }
  std::string describe() const override { return redact_database_url(uri_); }

  Result<Rows> query(std::string_view sql, const Params& params) override {
    auto conn = borrow();
    if (!conn) return tl::unexpected(conn.error());
    auto rows = (*conn)->query(sql, params);
    if ((*conn)->broken()) conn->discard();
    return rows;
  }

  Status transact(const Work& work) override {
    auto conn = borrow();
    if (!conn) return tl::unexpected(conn.error());
    PostgresConnection& c = **conn;
    Status result = c.script("BEGIN");
    if (result) {
      ConnectionSession<PostgresConnection> session(c);
      result = work(session);
      if (result) {
        result = c.script("COMMIT");
        if (result) return result;
      }
      (void)c.script("ROLLBACK");
    }
    if (c.broken()) conn->discard();
    return result;
  }

  Status ping() override {
    auto rows = query("SELECT 1", {});
    if (!rows) return tl::unexpected(rows.error());
    return {};
  }

 private:
  Result<ConnectionPool<PostgresConnection>::Lease> borrow() { return pool_.borrow(); }

  std::string uri_;
  ConnectionPool<PostgresConnection> pool_;
};

}  // namespace

std::string to_postgres_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int next = 1;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // copy a quoted run through its closing quote ('' escapes)
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const std::size_t end = sql.find("*/", i + 2);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 2;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?') {
      out += "$" + std::to_string(next++);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& uri,
                                                   const StoreOptions& options) {
  auto first = PostgresConnection::connect(uri);
  if (!first) return tl::unexpected(first.error());
  return std::unique_ptr<Store>(new PostgresStore(uri, std::move(*first), options));
}

}  // namespace synthgate::store
