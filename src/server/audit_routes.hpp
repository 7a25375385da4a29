#pragma once

#include <functional>
#include <string>

#include "audit/audit_log.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::server {

// Decides whether a request may read audit entries (the auditor role). The gateway's API
// keys with roles will replace the token check behind this same signature.
using AuditorCheck = std::function<Status(const httplib::Request&)>;

// Accepts `Authorization: Bearer <token>` whose SHA-256 is `token_sha256_hex`. No header:
// 401 unauthenticated; another token: 403; no configured hash: 403 for everyone.
AuditorCheck auditor_token_check(std::string token_sha256_hex);

// GET /v1/audit/checkpoint, /v1/audit/proofs/inclusion, /v1/audit/proofs/consistency (public:
// they reveal only hashes) and /v1/audit/entries (auditor role).
void add_audit_routes(GatewayServer& server, audit::AuditLog& log, AuditorCheck auditor);

}  // namespace synthgate::server
