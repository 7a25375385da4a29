#include "cli/development_keys.hpp"

#include "core/key_file.hpp"

namespace synthgate::cli {

Result<std::map<std::string, std::string>> create_development_keys(
    server::ApiKeyRegistry& keys, const std::filesystem::path& file) {
  std::map<std::string, std::string> tokens;
  auto none = keys.none_yet();
  if (!none) return tl::unexpected(none.error());
  if (!*none) return tokens;
  // A file from another database (a deleted one, a scratch one) is left alone: it may be a
  // developer's. The caller says how to get new keys.
  if (std::error_code ec; std::filesystem::exists(file, ec)) return tokens;
  std::string text =
      "# SynthGate development API keys, one per role (created by `synthgate serve` because\n"
      "# keys.generate_missing is true and no key existed). For development only.\n";
  for (server::Role role : {server::Role::kService, server::Role::kComplianceOfficer,
                            server::Role::kAuditor, server::Role::kRegulatorReadonly}) {
    server::NewApiKey request;
    request.role = role;
    request.name = "development " + std::string(server::role_name(role));
    request.actor = "serve";
    auto created = keys.create(request);
    if (!created) return tl::unexpected(created.error());
    tokens.emplace(server::role_name(role), created->token);
    text += std::string(server::role_name(role)) + " " + created->token + "\n";
  }
  if (auto written = write_new_key_file(file, text); !written) {
    return tl::unexpected(written.error());
  }
  return tokens;
}

}  // namespace synthgate::cli
