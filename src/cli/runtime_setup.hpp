#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/command.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/key_set.hpp"
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

}  // namespace synthgate::cli
