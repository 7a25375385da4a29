#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_log.hpp"
#include "cli/command.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/key_set.hpp"
#include "core/secure_random.hpp"
#include "store/store.hpp"

namespace synthgate::cli {

// Loads the configuration the way every command does: defaults, then the TOML file
// (--config, else $SYNTHGATE_CONFIG, else ./synthgate.toml if present), then SYNTHGATE_*
// variables, then the given flag overrides (key, value).
Result<Config> load_command_config(const CommandContext& ctx,
                                   const std::optional<std::string>& config_file,
                                   std::vector<std::pair<std::string, std::string>> flags);

// The configured key set (keys.dir), loaded as `serve` loads it: a development set is made
// on first use when keys.generate_missing is true.
Result<KeySet> load_command_keys(const CommandContext& ctx,
                                 const std::optional<std::string>& config_file);

// Opens the configured database and brings its schema up to date.
Result<std::unique_ptr<store::Store>> open_records(const DatabaseConfig& config,
                                                   const Clock& clock);

// What every command that changes records works with: the configuration, the database (schema
// up to date) and the audit log over it, signing checkpoints with the key set.
struct AuditedRecords {
  Config config;
  SystemClock clock;
  SecureRandom random;
  std::unique_ptr<store::Store> store;
  std::optional<KeySet> keys;
  std::unique_ptr<audit::AuditLog> audit;
};

// Fills `records` from --config and --db as `serve` would open them.
Status open_audited_records(const CommandContext& ctx,
                            const std::optional<std::string>& config_file,
                            const std::optional<std::string>& db, AuditedRecords& records);

}  // namespace synthgate::cli
