#include "cli/identity_records.hpp"

#include "cli/runtime_setup.hpp"
#include "cli/verification_providers.hpp"

namespace synthgate::cli {

Result<std::unique_ptr<IdentityRecords>> open_identity_records(
    const CommandContext& ctx, const std::optional<std::string>& config_file,
    const std::optional<std::string>& db, const std::optional<std::string>& previous_key_file) {
  auto r = std::make_unique<IdentityRecords>();
  if (auto opened = open_audited_records(ctx, config_file, db, *r); !opened) {
    return tl::unexpected(opened.error());
  }
  auto kek = identity::load_vault_key(ctx.environment, r->keys->vault);
  if (!kek) return tl::unexpected(kek.error());
  identity::VaultKeys vault_keys{std::move(*kek), {}};
  if (previous_key_file) {
    auto previous = identity::read_vault_key_file(*previous_key_file);
    if (!previous) return tl::unexpected(previous.error());
    vault_keys.previous.push_back(std::move(*previous));
  }
  r->vault = std::make_unique<identity::PersonalDataVault>(*r->store, *r->audit,
                                                           std::move(vault_keys), r->random);
  if (auto opened = r->vault->open(); !opened) return tl::unexpected(opened.error());
  r->ids = std::make_unique<IdGenerator>(r->clock, r->random);
  r->users = std::make_unique<identity::UserRegistry>(
      *r->store, *r->audit, *r->vault, r->clock, *r->ids, registry_options(r->config.identity));
  r->users->add_provider(r->manual_review);
  r->consents = std::make_unique<consent::ConsentRegistry>(*r->store, *r->audit, *r->vault,
                                                           r->clock, *r->ids);
  return r;
}

}  // namespace synthgate::cli
