// synthgate keys create|list|revoke: the gateway's API keys with roles (docs/api-keys.md).
// A key's token is printed once, by `create`; the database keeps only its SHA-256.
#include <nlohmann/json.hpp>
#include <ostream>

#include "audit/audit_log.hpp"
#include "audit/time_text.hpp"
#include "cli/command.hpp"
#include "cli/runtime_setup.hpp"
#include "core/key_set.hpp"
#include "server/api_key_registry.hpp"

namespace synthgate::cli {

namespace {

struct KeysOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> db;
  bool json = false;
  std::string role;
  std::optional<std::string> user_id;
  std::string name;
  double rate = 0;
  std::uint32_t burst = 0;
  std::string actor = "cli";
  std::string key_id;
};

// The database and the audit log the key changes are recorded in.
struct KeyRecords : AuditedRecords {
  std::unique_ptr<server::ApiKeyRegistry> api_keys;
};

Result<std::unique_ptr<KeyRecords>> open(const CommandContext& ctx, const KeysOptions& opts) {
  auto r = std::make_unique<KeyRecords>();
  if (auto opened = open_audited_records(ctx, opts.config_file, opts.db, *r); !opened) {
    return tl::unexpected(opened.error());
  }
  r->api_keys = std::make_unique<server::ApiKeyRegistry>(*r->store, *r->audit, r->clock, r->random);
  return r;
}

nlohmann::json key_json(const server::ApiKey& key) {
  nlohmann::json out{
      {"id", key.id},
      {"role", server::role_name(key.role)},
      {"name", key.name},
      {"rate", {{"per_second", key.rate.per_second}, {"burst", key.rate.burst}}},
      {"created_at", audit::format_time(TimePoint(std::chrono::milliseconds(key.created_ms)))},
      {"revoked", key.revoked_ms.has_value()}};
  out["user_id"] = key.user_id ? nlohmann::json(*key.user_id) : nlohmann::json(nullptr);
  if (key.revoked_ms) {
    out["revoked_at"] = audit::format_time(TimePoint(std::chrono::milliseconds(*key.revoked_ms)));
  }
  return out;
}

std::string key_line(const server::ApiKey& key) {
  std::string line = key.id + " " + std::string(server::role_name(key.role));
  if (key.revoked_ms) line += " revoked";
  if (key.user_id) line += " user=" + *key.user_id;
  if (!key.rate.unlimited()) {
    line += " rate=" + nlohmann::json(key.rate.per_second).dump() +
            "/s burst=" + std::to_string(key.rate.burst);
  }
  if (!key.name.empty()) line += " " + key.name;
  return line;
}

int run_create(CommandContext& ctx, const KeysOptions& opts) {
  auto role = server::parse_role(opts.role);
  if (!role || *role == server::Role::kPublic) {
    return report(ctx, Error{ErrorCode::kUsage,
                             "--role: service, compliance_officer, auditor or regulator_readonly"});
  }
  if (opts.rate < 0) return report(ctx, Error{ErrorCode::kUsage, "--rate must be 0 or more"});
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  server::NewApiKey request;
  request.role = *role;
  request.user_id = opts.user_id;
  request.name = opts.name;
  request.rate = {opts.rate, opts.burst};
  request.actor = opts.actor;
  auto created = (*r)->api_keys->create(request);
  if (!created) return report(ctx, created.error());
  if (opts.json) {
    nlohmann::json out = key_json(created->key);
    out["token"] = created->token;
    ctx.out << out.dump() << "\n";
  } else {
    ctx.out << created->token << "\n";
    ctx.err << "created " << key_line(created->key)
            << " (the token above is shown only once; store it now)\n";
  }
  return 0;
}

int run_list(CommandContext& ctx, const KeysOptions& opts) {
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto keys = (*r)->api_keys->list();
  if (!keys) return report(ctx, keys.error());
  if (opts.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& key : *keys) list.push_back(key_json(key));
    ctx.out << nlohmann::json{{"keys", list}}.dump() << "\n";
  } else {
    for (const auto& key : *keys) ctx.out << key_line(key) << "\n";
  }
  return 0;
}

int run_revoke(CommandContext& ctx, const KeysOptions& opts) {
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto key = (*r)->api_keys->revoke(opts.key_id, opts.actor);
  if (!key) return report(ctx, key.error());
  if (opts.json) {
    ctx.out << key_json(*key).dump() << "\n";
  } else {
    ctx.out << key_line(*key) << "\n";
  }
  return 0;
}

}  // namespace

void add_keys_command(CLI::App& app, CommandContext& ctx) {
  auto* keys = app.add_subcommand("keys", "The gateway's API keys with roles (operators)");
  keys->require_subcommand(1);
  auto opts = std::make_shared<KeysOptions>();
  const auto common = [&opts](CLI::App* cmd) {
    cmd->add_option("--config", opts->config_file, "TOML configuration file");
    cmd->add_option("--db", opts->db, "Database: sqlite:PATH or postgresql://...");
    cmd->add_flag("--json", opts->json, "Print one JSON object");
    cmd->add_option("--actor", opts->actor, "Who makes the change (audited; default cli)");
  };

  auto* create = keys->add_subcommand(
      "create", "Create a key and print its token once (sg_<id>_<secret>); audited");
  common(create);
  create
      ->add_option("--role", opts->role,
                   "service, compliance_officer, auditor or regulator_readonly")
      ->required();
  create->add_option("--user", opts->user_id, "The end user the key stands for (chat proxy)");
  create->add_option("--name", opts->name, "What the key is for");
  create->add_option("--rate", opts->rate, "Requests per second (default 0: unlimited)");
  create->add_option("--burst", opts->burst,
                     "Requests allowed at once above the rate (default: the rate, at least 1)");
  create->callback([&ctx, opts] { ctx.exit_code = run_create(ctx, *opts); });

  auto* list = keys->add_subcommand("list", "Every key (never a secret), revoked ones marked");
  common(list);
  list->callback([&ctx, opts] { ctx.exit_code = run_list(ctx, *opts); });

  auto* revoke = keys->add_subcommand(
      "revoke", "Revoke a key: refused at once by this database's gateways (within 10 s)");
  common(revoke);
  revoke->add_option("KEY_ID", opts->key_id, "The key's id (the part after sg_)")->required();
  revoke->callback([&ctx, opts] { ctx.exit_code = run_revoke(ctx, *opts); });
}

}  // namespace synthgate::cli
