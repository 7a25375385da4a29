#pragma once

#include <functional>

#include "consent/consent_registry.hpp"
#include "identity/user_registry.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::server {

// Decides whether a request may act as an operator (suspend users, approve organisations).
// The gateway's API keys with roles will replace the interim check behind this signature.
using OperatorCheck = std::function<Status(const httplib::Request&)>;

// /v1/users: create, get, start and confirm a verification, guardian consent, suspend and
// reinstate (operator).
void add_identity_routes(GatewayServer& server, identity::UserRegistry& users,
                         OperatorCheck operator_check);

// /v1/subjects and /v1/consents: add and read subjects; grant, read, revoke and check
// consents.
void add_consent_routes(GatewayServer& server, consent::ConsentRegistry& consents);

}  // namespace synthgate::server
