#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace synthgate::store {

// PostgreSQL through libpq with a pool of connections, so several gateway processes can
// share one database. Connections that break are re-established on their next use.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& uri,
                                                   const StoreOptions& options);

// Rewrites `?` placeholders to PostgreSQL's `$1, $2, ...`, leaving quoted text,
// quoted identifiers and comments alone. The SQL is the program's own, never user input;
// it must not use dollar-quoted strings, E'' escapes or nested comments that hold a '?'.
std::string to_postgres_placeholders(std::string_view sql);

}  // namespace synthgate::store
