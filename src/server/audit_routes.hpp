#pragma once

#include <vector>

#include "audit/audit_log.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::server {

// Who may read audit entries: auditor, regulator_readonly and compliance_officer keys.
inline const std::vector<Role> kAuditReaders = {Role::kAuditor, Role::kRegulatorReadonly,
                                                Role::kComplianceOfficer};

// GET /v1/audit/checkpoint, /v1/audit/proofs/inclusion, /v1/audit/proofs/consistency (public:
// they reveal only hashes) and /v1/audit/entries (kAuditReaders).
void add_audit_routes(GatewayServer& server, audit::AuditLog& log);

}  // namespace synthgate::server
