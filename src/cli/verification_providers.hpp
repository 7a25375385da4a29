#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "core/result.hpp"
#include "core/secure_random.hpp"
#include "identity/identity_check_provider.hpp"
#include "identity/manual_review_provider.hpp"
#include "identity/national_token_client.hpp"
#include "identity/national_token_provider.hpp"
#include "identity/sms_code_provider.hpp"
#include "identity/user_registry.hpp"

namespace synthgate::cli {

// The verification methods a gateway offers, built from [identity]: one-time codes (to a
// development outbox file), manual review, and, when their URLs are set, the identity-check
// service and the national identity token.
struct VerificationProviders {
  std::filesystem::path outbox_path;  // where development one-time codes are written
  identity::FileSmsSender sms_outbox;
  identity::SmsCodeProvider sms_codes;
  identity::ManualReviewProvider manual_review;
  std::optional<identity::IdentityCheckProvider> id_check;
  std::optional<identity::NationalTokenClient> national_token_client;
  std::optional<identity::NationalTokenProvider> national_token;

  VerificationProviders(const std::filesystem::path& outbox, RandomSource& random,
                        SecretBytes code_key)
      : outbox_path(outbox),
        sms_outbox(outbox),
        sms_codes(sms_outbox, random, std::move(code_key)) {}
  // Every provider, for UserRegistry::add_provider.
  void register_with(identity::UserRegistry& users);
};

// Fails with kConfig when a service's URL is set but its secret is missing or malformed:
// $SYNTHGATE_ID_CHECK_SECRET / $SYNTHGATE_NATIONAL_TOKEN_SECRET, else keys.dir/id-check.secret
// / keys.dir/national-token.secret, as hex of at least 16 bytes.
// `vault_key`: the vault's key-encryption key, from which the one-time-code key is derived.
Result<std::unique_ptr<VerificationProviders>> make_verification_providers(
    const Config& config, const std::map<std::string, std::string>& environment,
    const SecretBytes& vault_key, RandomSource& random);

// Code lifetime, attempts and the policy for 14 to 17 from [identity].
identity::RegistryOptions registry_options(const IdentityConfig& config);

}  // namespace synthgate::cli
