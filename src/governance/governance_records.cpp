#include "governance/governance_records.hpp"

#include <map>
#include <set>

#include "core/digest.hpp"
#include "core/encoding.hpp"

namespace synthgate::governance {

namespace {

using json = nlohmann::json;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE governance_inventory_versions (
  version BIGINT PRIMARY KEY,
  inventory TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  actor TEXT NOT NULL,
  imported_ms BIGINT NOT NULL,
  audit_index BIGINT NOT NULL
);
CREATE TABLE governance_roles (
  role TEXT PRIMARY KEY,
  person TEXT NOT NULL,
  actor TEXT NOT NULL,
  assigned_ms BIGINT NOT NULL,
  audit_index BIGINT NOT NULL
);
CREATE TABLE governance_sign_offs (
  id TEXT PRIMARY KEY,
  version BIGINT NOT NULL REFERENCES governance_inventory_versions (version),
  sha256 TEXT NOT NULL,
  signer TEXT NOT NULL,
  signed_ms BIGINT NOT NULL,
  audit_index BIGINT NOT NULL
);
CREATE TABLE governance_tasks (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  title TEXT NOT NULL,
  owner_role TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  due_ms BIGINT NOT NULL,
  done_ms BIGINT,
  done_by TEXT,
  result TEXT,
  UNIQUE (kind, subject)
);
CREATE TABLE governance_alerts (
  id TEXT PRIMARY KEY,
  metric TEXT NOT NULL UNIQUE,
  value BIGINT NOT NULL,
  threshold BIGINT NOT NULL,
  raised_ms BIGINT NOT NULL,
  task_id TEXT NOT NULL,
  audit_index BIGINT NOT NULL
);
CREATE TABLE governance_datasets (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  licence TEXT NOT NULL,
  pi_basis TEXT NOT NULL,
  consent TEXT NOT NULL,
  collected_on TEXT NOT NULL,
  registered_ms BIGINT NOT NULL,
  sampled BIGINT,
  flagged BIGINT,
  usable BIGINT,
  checked_ms BIGINT
);
)sql";

std::int64_t now_ms(const Clock& clock) {
  return unix_millis(clock.now());
}

std::string digest_of(const std::string& text) {
  return hex_encode(sha256(as_bytes(text)));
}

Result<InventoryVersion> version_from(const store::Row& row) {
  auto version = row.integer(0);
  auto text = row.text(1);
  auto sha = row.text(2);
  auto actor = row.text(3);
  auto imported = row.integer(4);
  if (!version || !text || !sha || !actor || !imported) {
    return fail(ErrorCode::kInternal, "a stored inventory version is unreadable");
  }
  auto inventory = parse_inventory_text(*text);
  if (!inventory) return tl::unexpected(with_context(inventory.error(), "stored version"));
  return InventoryVersion{*version, std::move(*inventory), *sha, *actor, *imported};
}

// Items by id across every list, with their kind, for the diff.
std::map<std::string, json> items_by_id(const Inventory& inventory) {
  std::map<std::string, json> out;
  const json doc = inventory_json(inventory);
  for (const auto* list : {"business_units", "products", "features", "third_party_apis"}) {
    for (const auto& item : doc[list]) {
      json entry = item;
      entry["list"] = list;
      out[item["id"].get<std::string>()] = std::move(entry);
    }
  }
  return out;
}

}  // namespace

std::string_view role_name(Role role) {
  return role == Role::kComplianceLead ? "compliance_lead" : "data_governance_owner";
}

Result<Role> parse_role(std::string_view name) {
  if (name == "compliance_lead") return Role::kComplianceLead;
  if (name == "data_governance_owner") return Role::kDataGovernanceOwner;
  return fail(ErrorCode::kInvalidArgument, "unknown role \"" + std::string(name) +
                                               "\" (compliance_lead or data_governance_owner)");
}

Result<std::uint64_t> GovernanceRecords::record(const std::string& actor, const std::string& action,
                                                std::map<std::string, std::string> details) {
  audit::AuditEvent event;
  event.type = audit::EventType::kOperatorNote;
  event.actor = actor;
  details["action"] = action;
  event.details = std::move(details);
  return audit_.append(std::move(event));
}

Result<InventoryVersion> GovernanceRecords::import_inventory(const Inventory& inventory,
                                                             const std::string& actor) {
  const std::string text = inventory_json(inventory).dump();
  const std::string digest = digest_of(text);
  auto latest = inventory_version();
  if (latest && latest->sha256 == digest) return latest;
  if (!latest && latest.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(latest.error());
  }
  const std::int64_t version = latest ? latest->version + 1 : 1;
  auto index = record(actor, "compliance_inventory_imported",
                      {{"version", std::to_string(version)}, {"sha256", digest}});
  if (!index) return tl::unexpected(index.error());
  const std::int64_t when = now_ms(clock_);
  auto stored = store_.execute(
      "INSERT INTO governance_inventory_versions (version, inventory, sha256, actor, "
      "imported_ms, audit_index) VALUES (?, ?, ?, ?, ?, ?)",
      {version, text, digest, actor, when, static_cast<std::int64_t>(*index)});
  if (!stored) return tl::unexpected(stored.error());
  return InventoryVersion{version, inventory, digest, actor, when};
}

Result<InventoryVersion> GovernanceRecords::inventory_version(std::optional<std::int64_t> version) {
  constexpr std::string_view kColumns =
      "SELECT version, inventory, sha256, actor, imported_ms FROM governance_inventory_versions ";
  auto rows = version ? store_.query(std::string(kColumns) + "WHERE version = ?", {*version})
                      : store_.query(std::string(kColumns) + "ORDER BY version DESC LIMIT 1");
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) {
    return fail(ErrorCode::kNotFound, version ? "no inventory version " + std::to_string(*version)
                                              : "no inventory has been imported yet");
  }
  return version_from(rows->rows[0]);
}

Result<std::vector<std::int64_t>> GovernanceRecords::versions() {
  auto rows = store_.query("SELECT version FROM governance_inventory_versions ORDER BY version");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<std::int64_t> out;
  for (const auto& row : rows->rows) {
    auto v = row.integer(0);
    if (!v) return tl::unexpected(v.error());
    out.push_back(*v);
  }
  return out;
}

Result<json> GovernanceRecords::diff(std::int64_t from, std::int64_t to) {
  auto a = inventory_version(from);
  if (!a) return tl::unexpected(a.error());
  auto b = inventory_version(to);
  if (!b) return tl::unexpected(b.error());
  const auto before = items_by_id(a->inventory);
  const auto after = items_by_id(b->inventory);
  json out = {{"from", from},
              {"to", to},
              {"added", json::array()},
              {"removed", json::array()},
              {"changed", json::array()}};
  if (a->inventory.organisation != b->inventory.organisation) {
    out["organisation"] = {{"from", a->inventory.organisation}, {"to", b->inventory.organisation}};
  }
  for (const auto& [id, item] : after) {
    const auto old = before.find(id);
    if (old == before.end()) {
      out["added"].push_back(item);
    } else if (old->second != item) {
      out["changed"].push_back(
          {{"id", id}, {"list", item["list"]}, {"patch", json::diff(old->second, item)}});
    }
  }
  for (const auto& [id, item] : before) {
    if (!after.contains(id)) out["removed"].push_back(item);
  }
  return out;
}

Result<RoleAssignment> GovernanceRecords::assign_role(Role role, const std::string& person,
                                                      const std::string& actor) {
  if (person.empty()) return fail(ErrorCode::kInvalidArgument, "a role needs a person");
  auto index = record(actor, "compliance_role_assigned",
                      {{"role", std::string(role_name(role))}, {"person", person}});
  if (!index) return tl::unexpected(index.error());
  RoleAssignment out{role, person, actor, now_ms(clock_), *index};
  auto done = store_.transact([&](store::Session& s) -> Status {
    if (auto d = s.execute("DELETE FROM governance_roles WHERE role = ?",
                           {std::string(role_name(role))});
        !d) {
      return tl::unexpected(d.error());
    }
    auto i = s.execute(
        "INSERT INTO governance_roles (role, person, actor, assigned_ms, audit_index) "
        "VALUES (?, ?, ?, ?, ?)",
        {std::string(role_name(role)), person, actor, out.assigned_ms,
         static_cast<std::int64_t>(out.audit_index)});
    if (!i) return tl::unexpected(i.error());
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return out;
}

Result<std::optional<RoleAssignment>> GovernanceRecords::role(Role role) {
  auto rows = store_.query(
      "SELECT person, actor, assigned_ms, audit_index FROM governance_roles WHERE role = ?",
      {std::string(role_name(role))});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<RoleAssignment>();
  const auto& row = rows->rows[0];
  auto person = row.text(0);
  auto actor = row.text(1);
  auto when = row.integer(2);
  auto index = row.integer(3);
  if (!person || !actor || !when || !index) {
    return fail(ErrorCode::kInternal, "a stored role is unreadable");
  }
  return std::optional<RoleAssignment>(
      RoleAssignment{role, *person, *actor, *when, static_cast<std::uint64_t>(*index)});
}

Result<SignOff> GovernanceRecords::sign_off(std::int64_t version, const std::string& signer) {
  auto lead = role(Role::kComplianceLead);
  if (!lead) return tl::unexpected(lead.error());
  if (!*lead) {
    return fail(ErrorCode::kFailedPrecondition,
                "no compliance lead is designated (assign the compliance_lead role first)");
  }
  if ((*lead)->person != signer) {
    return fail(ErrorCode::kPermissionDenied,
                signer + " is not the designated compliance lead (" + (*lead)->person + ")");
  }
  auto inventory = inventory_version(version);
  if (!inventory) return tl::unexpected(inventory.error());
  SignOff out;
  out.id = ids_.next_uuid().to_string();
  out.version = version;
  out.sha256 = inventory->sha256;
  out.signer = signer;
  auto index =
      record(signer, "compliance_scope_signed",
             {{"version", std::to_string(version)}, {"sha256", out.sha256}, {"sign_off", out.id}});
  if (!index) return tl::unexpected(index.error());
  out.audit_index = *index;
  out.signed_ms = now_ms(clock_);
  auto stored = store_.execute(
      "INSERT INTO governance_sign_offs (id, version, sha256, signer, signed_ms, audit_index) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {out.id, version, out.sha256, signer, out.signed_ms,
       static_cast<std::int64_t>(out.audit_index)});
  if (!stored) return tl::unexpected(stored.error());
  return out;
}

Result<std::vector<SignOff>> GovernanceRecords::sign_offs(std::optional<std::int64_t> version) {
  constexpr std::string_view kSelect =
      "SELECT id, version, sha256, signer, signed_ms, audit_index FROM governance_sign_offs ";
  auto rows = version
                  ? store_.query(std::string(kSelect) + "WHERE version = ? ORDER BY signed_ms, id",
                                 {*version})
                  : store_.query(std::string(kSelect) + "ORDER BY signed_ms, id");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<SignOff> out;
  for (const auto& row : rows->rows) {
    auto id = row.text(0);
    auto v = row.integer(1);
    auto sha = row.text(2);
    auto signer = row.text(3);
    auto when = row.integer(4);
    auto index = row.integer(5);
    if (!id || !v || !sha || !signer || !when || !index) {
      return fail(ErrorCode::kInternal, "a stored sign-off is unreadable");
    }
    out.push_back({*id, *v, *sha, *signer, *when, static_cast<std::uint64_t>(*index)});
  }
  return out;
}

const store::MigrationSet& governance_migrations() {
  static const store::MigrationSet set{"governance", {{1, "governance programme", kSchema}}};
  return set;
}

}  // namespace synthgate::governance
