#pragma once

#include <httplib.h>

#include <string>

#include "core/clock.hpp"
#include "server/api_key_registry.hpp"
#include "server/principal.hpp"
#include "server/rate_limiter.hpp"

namespace synthgate::server {

// The gateway's authenticator over API keys (docs/api-keys.md). The key comes in
// `Authorization: Bearer sg_...` or `X-API-Key: sg_...`. A public route (no roles) needs
// none. Otherwise: no key or an unknown or revoked one is 401, a key whose role the route
// does not list is 403, a key over its rate is 429 with Retry-After. Roles do not nest:
// each route lists every role it admits.
class KeyAuthenticator {
 public:
  // `legacy_auditor_token_sha256`: the hex SHA-256 of a bearer token admitted as the auditor
  // role (audit.auditor_token_sha256, from before API keys); empty: none.
  KeyAuthenticator(ApiKeyRegistry& keys, const Clock& clock,
                   std::string legacy_auditor_token_sha256 = {});

  Result<Principal> authenticate(const httplib::Request& req, const RouteAccess& access,
                                 httplib::Headers& refusal_headers);

 private:
  ApiKeyRegistry& keys_;
  RateLimiter limiter_;
  std::string legacy_auditor_token_sha256_;
};

}  // namespace synthgate::server
