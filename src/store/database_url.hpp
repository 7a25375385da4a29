#pragma once

#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace synthgate::store {

enum class Backend { kSqlite, kPostgresql };

// `sqlite:PATH` (relative to the working directory) or a libpq URI `postgresql://...`
// (also `postgres://`).
struct DatabaseUrl {
  Backend backend = Backend::kSqlite;
  std::filesystem::path sqlite_path;  // sqlite only
  std::string postgres_uri;           // postgresql only, as given

  static Result<DatabaseUrl> parse(std::string_view text);
  // The URL with any password replaced by "***": the only form that may be logged or printed.
  std::string redacted() const;
};

std::string_view backend_name(Backend backend);

// Replaces the password of a URL's userinfo and any password=... parameter with "***".
std::string redact_database_url(std::string_view url);

}  // namespace synthgate::store
