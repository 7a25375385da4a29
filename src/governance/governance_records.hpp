#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "governance/inventory.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace synthgate::governance {

// The two designated people of the programme (issue #11): the compliance lead signs scope
// assessments; the data-governance owner verifies log completeness each quarter.
enum class Role { kComplianceLead, kDataGovernanceOwner };
std::string_view role_name(Role role);
Result<Role> parse_role(std::string_view name);

struct InventoryVersion {
  std::int64_t version = 0;
  Inventory inventory;
  std::string sha256;  // of the canonical JSON
  std::string actor;
  std::int64_t imported_ms = 0;
};

struct RoleAssignment {
  Role role = Role::kComplianceLead;
  std::string person;
  std::string actor;
  std::int64_t assigned_ms = 0;
  std::uint64_t audit_index = 0;
};

struct SignOff {
  std::string id;
  std::int64_t version = 0;
  std::string sha256;  // what was signed: the version's canonical JSON
  std::string signer;
  std::int64_t signed_ms = 0;
  std::uint64_t audit_index = 0;
};

// The inventory's versions, the roles and the sign-offs. Every change is an audit event first
// (kOperatorNote, details.action = compliance_*); its index is kept with the row.
class GovernanceRecords {
 public:
  GovernanceRecords(store::Store& store, audit::AuditLog& audit, const Clock& clock,
                    IdGenerator& ids)
      : store_(store), audit_(audit), clock_(clock), ids_(ids) {}

  // Stores a new version unless it equals the latest (then the latest is returned).
  Result<InventoryVersion> import_inventory(const Inventory& inventory, const std::string& actor);
  // The given version, or the latest; kNotFound when there is none.
  Result<InventoryVersion> inventory_version(std::optional<std::int64_t> version = {});
  Result<std::vector<std::int64_t>> versions();
  // What changed between two versions, item by item: {"added", "removed", "changed"}; each
  // changed item carries its JSON Patch (RFC 6902) from `from` to `to`.
  Result<nlohmann::json> diff(std::int64_t from, std::int64_t to);

  Result<RoleAssignment> assign_role(Role role, const std::string& person,
                                     const std::string& actor);
  Result<std::optional<RoleAssignment>> role(Role role);

  // The compliance lead signs a version; anyone else is refused (kPermissionDenied).
  Result<SignOff> sign_off(std::int64_t version, const std::string& signer);
  Result<std::vector<SignOff>> sign_offs(std::optional<std::int64_t> version = {});

  store::Store& store() { return store_; }
  audit::AuditLog& audit() { return audit_; }
  const Clock& clock() const { return clock_; }
  IdGenerator& ids() { return ids_; }

 private:
  Result<std::uint64_t> record(const std::string& actor, const std::string& action,
                               std::map<std::string, std::string> details);

  store::Store& store_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  IdGenerator& ids_;
};

const store::MigrationSet& governance_migrations();

}  // namespace synthgate::governance
