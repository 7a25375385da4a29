#pragma once

#include <memory>
#include <optional>
#include <string>

#include "audit/audit_log.hpp"
#include "cli/command.hpp"
#include "cli/runtime_setup.hpp"
#include "consent/consent_registry.hpp"
#include "core/config.hpp"
#include "core/ids.hpp"
#include "core/key_set.hpp"
#include "identity/manual_review_provider.hpp"
#include "identity/personal_data_vault.hpp"
#include "identity/user_registry.hpp"
#include "store/store.hpp"

namespace synthgate::cli {

// What `synthgate users` and `synthgate consents` work with: the configured database, the
// audit log (signing with the key set) and the vault, users and consents over them.
struct IdentityRecords : AuditedRecords {
  std::unique_ptr<identity::PersonalDataVault> vault;
  std::unique_ptr<IdGenerator> ids;
  identity::ManualReviewProvider manual_review;
  std::unique_ptr<identity::UserRegistry> users;
  std::unique_ptr<consent::ConsentRegistry> consents;
};

// `previous_key_file`: a former key-encryption key, loaded beside the current one (rotation).
Result<std::unique_ptr<IdentityRecords>> open_identity_records(
    const CommandContext& ctx, const std::optional<std::string>& config_file,
    const std::optional<std::string>& db, const std::optional<std::string>& previous_key_file);

}  // namespace synthgate::cli
