#include "server/key_authenticator.hpp"

#include <algorithm>

#include "core/digest.hpp"
#include "core/encoding.hpp"

namespace synthgate::server {

namespace {

// The key a request carries: the bearer token, else X-API-Key; "" when neither.
std::string presented_key(const httplib::Request& req) {
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() > kBearer.size() && header.starts_with(kBearer)) {
    return header.substr(kBearer.size());
  }
  return req.get_header_value("X-API-Key");
}

std::string role_list(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) out += (out.empty() ? "" : ", ") + std::string(role_name(r));
  return out;
}

}  // namespace

KeyAuthenticator::KeyAuthenticator(ApiKeyRegistry& keys, const Clock& clock,
                                   std::string legacy_auditor_token_sha256)
    : keys_(keys),
      limiter_(clock),
      legacy_auditor_token_sha256_(std::move(legacy_auditor_token_sha256)) {}

Result<Principal> KeyAuthenticator::authenticate(const httplib::Request& req,
                                                 const RouteAccess& access,
                                                 httplib::Headers& refusal_headers) {
  if (access.roles.empty()) return Principal{};
  const std::string token = presented_key(req);
  if (token.empty()) {
    return fail(ErrorCode::kUnauthenticated,
                "this route needs an API key (Authorization: Bearer sg_... or X-API-Key)");
  }

  Principal principal;
  KeyRate rate;
  if (!legacy_auditor_token_sha256_.empty() && !token.starts_with("sg_") &&
      constant_time_equal(as_bytes(hex_encode(sha256(as_bytes(token)))),
                          as_bytes(legacy_auditor_token_sha256_))) {
    principal = Principal{"auditor-token", Role::kAuditor, std::nullopt};
  } else {
    auto key = keys_.authenticate(token);
    if (!key) return tl::unexpected(key.error());
    principal = Principal{key->id, key->role, key->user_id};
    rate = key->rate;
  }

  if (std::find(access.roles.begin(), access.roles.end(), principal.role) == access.roles.end()) {
    return fail(ErrorCode::kPermissionDenied,
                "a key of role " + std::string(role_name(principal.role)) +
                    " may not call this route (it admits " + role_list(access.roles) + ")");
  }
  if (auto decision = limiter_.take(principal.key_id, rate); !decision.allowed) {
    refusal_headers.emplace("Retry-After", std::to_string(decision.retry_after.count()));
    return fail(ErrorCode::kResourceExhausted, "this API key is over its rate; retry after " +
                                                   std::to_string(decision.retry_after.count()) +
                                                   " s");
  }
  return principal;
}

}  // namespace synthgate::server
