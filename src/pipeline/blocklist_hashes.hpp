#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "moderation/active_blocklist.hpp"
#include "moderation/hash_blocklist.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace synthgate::pipeline {

// The PDQ blocklist as it grows while the gateway runs: the configured file
// (moderation.blocklist) plus the hashes taken down since (table blocklist_hashes). Each
// change rebuilds the index and swaps it into `active`, which the desks read.
class BlocklistHashes {
 public:
  BlocklistHashes(store::Store& store, moderation::ActiveBlocklist& active,
                  std::vector<moderation::BlocklistEntry> configured);

  // Adds a hash (again: nothing changes) and puts the new index in force before returning.
  Status add(const moderation::PdqHash& hash, const std::string& label, const std::string& actor,
             std::int64_t added_ms);
  // Reads the table again (hashes another process added) and swaps the index in.
  Status refresh();

 private:
  store::Store& store_;
  moderation::ActiveBlocklist& active_;
  std::vector<moderation::BlocklistEntry> configured_;
  std::mutex mutex_;  // one rebuild at a time, so a slower one never undoes a newer
};

const store::MigrationSet& blocklist_migrations();

}  // namespace synthgate::pipeline
