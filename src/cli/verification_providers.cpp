#include "cli/verification_providers.hpp"

#include "core/digest.hpp"
#include "core/encoding.hpp"
#include "core/key_file.hpp"

namespace synthgate::cli {
namespace {

constexpr std::size_t kMinimumSecretBytes = 16;

Result<SecretBytes> service_secret(const std::map<std::string, std::string>& environment,
                                   const std::string& variable, const std::filesystem::path& file) {
  std::string text;
  std::string from;
  if (auto it = environment.find(variable); it != environment.end()) {
    text = it->second;
    from = "$" + variable;
  } else {
    auto contents = read_key_file(file);
    if (!contents) {
      return fail(ErrorCode::kConfig, "no signing secret: set $" + variable + " or write " +
                                          file.string() + " (" + contents.error().message + ")");
    }
    text = *contents;
    from = file.string();
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  auto bytes = hex_decode(text);
  if (!bytes || bytes->size() < kMinimumSecretBytes) {
    return fail(ErrorCode::kConfig, from + " must hold at least " +
                                        std::to_string(kMinimumSecretBytes) +
                                        " bytes as hexadecimal digits");
  }
  return SecretBytes(std::move(*bytes));
}

Result<identity::ServiceEndpoint> endpoint(const std::string& url, const std::string& app_id,
                                           unsigned timeout_ms, unsigned retries,
                                           SecretBytes secret, const std::string& key) {
  identity::ServiceEndpoint e;
  if (auto parsed = identity::parse_endpoint_url(url, e); !parsed) {
    return tl::unexpected(with_context(parsed.error(), key));
  }
  e.app_id = app_id;
  e.secret = std::move(secret);
  e.timeout = std::chrono::milliseconds(timeout_ms);
  e.retries = static_cast<int>(retries);
  return e;
}

}  // namespace

void VerificationProviders::register_with(identity::UserRegistry& users) {
  users.add_provider(sms_codes);
  users.add_provider(manual_review);
  if (id_check) users.add_provider(*id_check);
  if (national_token) users.add_provider(*national_token);
}

Result<std::unique_ptr<VerificationProviders>> make_verification_providers(
    const Config& config, const std::map<std::string, std::string>& environment,
    const SecretBytes& vault_key, RandomSource& random) {
  const IdentityConfig& c = config.identity;
  const Sha256Digest code_key = hmac_sha256(vault_key, as_bytes("synthgate one-time code key v1"));
  auto providers = std::make_unique<VerificationProviders>(
      config.keys.dir.parent_path() / "sms-outbox.txt", random,
      SecretBytes(std::vector<std::uint8_t>(code_key.begin(), code_key.end())));
  if (!c.id_check_url.empty()) {
    auto secret = service_secret(environment, "SYNTHGATE_ID_CHECK_SECRET",
                                 config.keys.dir / "id-check.secret");
    if (!secret) return tl::unexpected(with_context(secret.error(), "identity.id_check_url"));
    auto e = endpoint(c.id_check_url, c.id_check_app_id, c.id_check_timeout_ms, c.id_check_retries,
                      std::move(*secret), "identity.id_check_url");
    if (!e) return tl::unexpected(e.error());
    providers->id_check.emplace(std::move(*e), random);
  }
  if (!c.national_token_url.empty()) {
    auto secret = service_secret(environment, "SYNTHGATE_NATIONAL_TOKEN_SECRET",
                                 config.keys.dir / "national-token.secret");
    if (!secret) return tl::unexpected(with_context(secret.error(), "identity.national_token_url"));
    auto e = endpoint(c.national_token_url, c.national_token_app_id, c.national_token_timeout_ms,
                      c.national_token_retries, std::move(*secret), "identity.national_token_url");
    if (!e) return tl::unexpected(e.error());
    providers->national_token_client.emplace(std::move(*e), random);
    providers->national_token.emplace(*providers->national_token_client);
  }
  return providers;
}

identity::RegistryOptions registry_options(const IdentityConfig& config) {
  identity::RegistryOptions options;
  options.code_lifetime = std::chrono::seconds(config.code_lifetime_seconds);
  options.max_attempts = static_cast<int>(config.max_attempts);
  using Under18 = identity::MinorPolicy::Under18;
  options.minors.under_18 = config.under_18 == "refuse"             ? Under18::kRefuse
                            : config.under_18 == "guardian_consent" ? Under18::kGuardianConsent
                                                                    : Under18::kAllow;
  return options;
}

}  // namespace synthgate::cli
