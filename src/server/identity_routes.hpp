#pragma once

#include <vector>

#include "consent/consent_registry.hpp"
#include "identity/user_registry.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::server {

// The roles of these routes (docs/api-keys.md): the service registers and verifies its users
// and records consents; a compliance officer may do the same and alone suspends, reinstates
// and confirms operator-only verifications (manual review).
inline const std::vector<Role> kRecordsRoles = {Role::kService, Role::kComplianceOfficer};
inline const std::vector<Role> kOperatorRoles = {Role::kComplianceOfficer};

// /v1/users: create, get, start and confirm a verification, guardian consent (kRecordsRoles);
// suspend and reinstate (kOperatorRoles).
void add_identity_routes(GatewayServer& server, identity::UserRegistry& users);

// /v1/subjects and /v1/consents: add and read subjects; grant, read, revoke and check
// consents (kRecordsRoles).
void add_consent_routes(GatewayServer& server, consent::ConsentRegistry& consents);

}  // namespace synthgate::server
