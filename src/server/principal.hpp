#pragma once

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::server {

// Who may call a route. `kPublic` needs no key (detection, complaints intake, /healthz).
enum class Role { kPublic, kService, kComplianceOfficer, kAuditor, kRegulatorReadonly };

std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

// The caller of one request, as its API key says.
struct Principal {
  std::string key_id;  // "" for a public caller
  Role role = Role::kPublic;
  std::optional<std::string> user_id;  // the end user the key stands for, if it is mapped to one
};

// What a route admits: the roles allowed (empty: public) and its own body limit.
struct RouteAccess {
  std::vector<Role> roles;
  std::size_t max_body_bytes = 0;  // 0: the server's server.max_body_bytes
};

// Finds the principal of a request (its API key). An error is the answer: 401 without a
// key, 403 with a key of another role, 429 over the key's rate.
using Authenticator = std::function<Result<Principal>(const httplib::Request&, const RouteAccess&)>;
// The same, able to add headers to its refusal (Retry-After on a 429).
using AuthenticatorWithHeaders = std::function<Result<Principal>(
    const httplib::Request&, const RouteAccess&, httplib::Headers& refusal_headers)>;

using AuthedHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Principal&)>;

}  // namespace synthgate::server
