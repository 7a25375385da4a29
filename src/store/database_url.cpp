#include "store/database_url.hpp"

namespace synthgate::store {

std::string_view backend_name(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgresql";
}

Result<DatabaseUrl> DatabaseUrl::parse(std::string_view text) {
  DatabaseUrl url;
  if (text.starts_with("sqlite:")) {
    std::string_view path = text.substr(7);
    if (path.starts_with("//")) path.remove_prefix(2);  // tolerate sqlite://PATH
    if (path.empty()) {
      return fail(ErrorCode::kUsage,
                  "database URL sqlite: needs a file path (sqlite:var/synthgate.db)");
    }
    if (path.find('\0') != std::string_view::npos) {
      return fail(ErrorCode::kUsage, "database URL has a NUL byte in its path");
    }
    url.backend = Backend::kSqlite;
    url.sqlite_path = std::filesystem::path(std::string(path));
    return url;
  }
  if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
    if (text.find('\0') != std::string_view::npos) {
      return fail(ErrorCode::kUsage, "database URL has a NUL byte");
    }
    url.backend = Backend::kPostgresql;
    url.postgres_uri = std::string(text);
    return url;
  }
  return fail(ErrorCode::kUsage, "database URL must be sqlite:PATH or postgresql://..., got \"" +
                                     redact_database_url(text) + "\"");
}

std::string DatabaseUrl::redacted() const {
  return backend == Backend::kSqlite ? "sqlite:" + sqlite_path.string()
                                     : redact_database_url(postgres_uri);
}

std::string redact_database_url(std::string_view url) {
  std::string out(url);
  // userinfo: scheme://user:password@host. libpq ends the authority at the first '/' only
  // ('?' and '#' may stand in a password), so everything from the first ':' to the last '@'
  // before that '/' is hidden; hiding too much is harmless, too little is not.
  if (const auto scheme = out.find("://"); scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto slash = out.find('/', start);
    const auto at = out.rfind('@', slash == std::string::npos ? std::string::npos : slash);
    if (at != std::string::npos && at >= start) {
      const auto colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // query parameter: ...?password=secret&...
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    const auto value = pos + 9;
    const auto end = out.find_first_of("&# ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

}  // namespace synthgate::store
