#include "cli/runtime_setup.hpp"

#include <filesystem>

#include "audit/audit_schema.hpp"
#include "complaints/complaint_records.hpp"
#include "consent/consent_registry.hpp"
#include "core/secure_random.hpp"
#include "governance/governance_records.hpp"
#include "identity/personal_data_vault.hpp"
#include "identity/user_registry.hpp"
#include "pipeline/blocklist_hashes.hpp"
#include "pipeline/pipeline_records.hpp"
#include "server/api_key_registry.hpp"
#include "store/migration.hpp"

namespace synthgate::cli {

Result<Config> load_command_config(const CommandContext& ctx,
                                   const std::optional<std::string>& config_file,
                                   std::vector<std::pair<std::string, std::string>> flags) {
  ConfigSources sources;
  sources.environment = ctx.environment;
  sources.flags = std::move(flags);
  if (config_file) {
    sources.file = *config_file;
  } else if (auto it = ctx.environment.find("SYNTHGATE_CONFIG"); it != ctx.environment.end()) {
    sources.file = it->second;
  } else if (std::error_code ec; std::filesystem::is_regular_file("synthgate.toml", ec)) {
    sources.file = "synthgate.toml";
  }
  return load_config(sources);
}

Result<KeySet> load_command_keys(const CommandContext& ctx,
                                 const std::optional<std::string>& config_file) {
  auto config = load_command_config(ctx, config_file, {});
  if (!config) return tl::unexpected(config.error());
  SecureRandom random;
  auto keys = load_key_set(config->keys.dir, config->keys.generate_missing, random);
  if (!keys) return tl::unexpected(keys.error());
  return std::move(keys->keys);
}

Result<std::unique_ptr<store::Store>> open_records(const DatabaseConfig& config,
                                                   const Clock& clock) {
  auto url = store::DatabaseUrl::parse(config.url);
  if (!url) return tl::unexpected(url.error());
  auto opened = store::open_store(*url, {config.pool_size, config.busy_timeout_ms});
  if (!opened) return tl::unexpected(opened.error());
  // Record modules register their migration sets here as they arrive; the ledger table
  // itself is created by migrate().
  const std::vector<store::MigrationSet> sets = {
      audit::audit_migrations(),          identity::vault_migrations(),
      identity::identity_migrations(),    consent::consent_migrations(),
      pipeline::pipeline_migrations(),    server::api_key_migrations(),
      pipeline::blocklist_migrations(),   complaints::complaint_migrations(),
      governance::governance_migrations()};
  if (auto migrated = store::migrate(**opened, sets, clock); !migrated) {
    return tl::unexpected(with_context(migrated.error(), "database " + url->redacted()));
  }
  return opened;
}

Status open_audited_records(const CommandContext& ctx,
                            const std::optional<std::string>& config_file,
                            const std::optional<std::string>& db, AuditedRecords& r) {
  std::vector<std::pair<std::string, std::string>> flags;
  if (db) flags.emplace_back("database.url", *db);
  auto config = load_command_config(ctx, config_file, std::move(flags));
  if (!config) return tl::unexpected(config.error());
  r.config = std::move(*config);
  auto records = open_records(r.config.database, r.clock);
  if (!records) return tl::unexpected(records.error());
  r.store = std::move(*records);
  auto keys = load_key_set(r.config.keys.dir, r.config.keys.generate_missing, r.random);
  if (!keys) return tl::unexpected(keys.error());
  r.keys.emplace(std::move(keys->keys));
  r.audit =
      std::make_unique<audit::AuditLog>(*r.store, r.config.audit, r.clock, &r.keys->audit_signing);
  return {};
}

}  // namespace synthgate::cli
