#pragma once

#include <filesystem>
#include <memory>

#include "store/store.hpp"

namespace synthgate::store {

// SQLite in WAL mode with synchronous=FULL: a commit is durable when transact() returns.
// One writer connection (SQLite allows one writer at a time; BEGIN IMMEDIATE and the busy
// timeout order writers across processes) and a pool of reader connections that WAL lets
// read while a write is under way.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::filesystem::path& path,
                                                 const StoreOptions& options);

}  // namespace synthgate::store
