#include "server/principal.hpp"

#include <array>
#include <utility>

namespace synthgate::server {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 5> kRoleNames{{
    {Role::kPublic, "public"},
    {Role::kService, "service"},
    {Role::kComplianceOfficer, "compliance_officer"},
    {Role::kAuditor, "auditor"},
    {Role::kRegulatorReadonly, "regulator_readonly"},
}};

}  // namespace

std::string_view role_name(Role role) {
  for (const auto& [r, name] : kRoleNames)
    if (r == role) return name;
  return "public";
}

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& [r, n] : kRoleNames)
    if (n == name) return r;
  return std::nullopt;
}

}  // namespace synthgate::server
