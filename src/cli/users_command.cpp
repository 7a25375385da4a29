// synthgate users create|get|find|approve|suspend|reinstate|reveal|rewrap-keys: real-name
// records for operators. Personal data is printed only by `reveal`, which is audited.
#include <nlohmann/json.hpp>
#include <ostream>

#include "audit/time_text.hpp"
#include "cli/command.hpp"
#include "cli/identity_records.hpp"

namespace synthgate::cli {

namespace {

struct UsersOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> db;
  bool json = false;
  std::string user_id;
  std::string kind = "individual";
  std::optional<std::string> name;
  std::optional<std::string> id_number;
  std::optional<std::string> phone;
  std::optional<std::string> credit_code;
  std::string actor;
  std::string reason;
  std::string field;
  std::string purpose;
  std::optional<std::string> previous_key_file;
};

nlohmann::json user_json(const identity::User& user) {
  nlohmann::json out{{"id", user.id},
                     {"kind", identity::user_kind_name(user.kind)},
                     {"state", identity::user_state_name(user.state)},
                     {"can_generate", user.state == identity::UserState::kVerified}};
  if (user.verified_by) out["verified_by"] = *user.verified_by;
  if (user.awaiting) out["awaiting"] = *user.awaiting;
  if (user.id_kind) out["id_kind"] = *user.id_kind;
  return out;
}

int print_user(CommandContext& ctx, const UsersOptions& opts, const identity::User& user) {
  if (opts.json) {
    ctx.out << user_json(user).dump() << "\n";
  } else {
    ctx.out << user.id << " " << identity::user_state_name(user.state) << "\n";
  }
  return 0;
}

Result<std::unique_ptr<IdentityRecords>> open(const CommandContext& ctx, const UsersOptions& o) {
  return open_identity_records(ctx, o.config_file, o.db, o.previous_key_file);
}

int run_create(CommandContext& ctx, const UsersOptions& opts) {
  auto kind = identity::parse_user_kind(opts.kind);
  if (!kind) return report(ctx, Error{ErrorCode::kUsage, "--kind: individual or organisation"});
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  identity::Registration reg;
  reg.kind = *kind;
  reg.name = opts.name;
  reg.id_number = opts.id_number;
  reg.phone = opts.phone;
  reg.credit_code = opts.credit_code;
  reg.actor = opts.actor.empty() ? "cli" : opts.actor;
  auto user = (*r)->users->create(reg);
  if (!user) return report(ctx, user.error());
  return print_user(ctx, opts, *user);
}

int run_get(CommandContext& ctx, const UsersOptions& opts) {
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto user = (*r)->users->get(opts.user_id);
  if (!user) return report(ctx, user.error());
  auto history = (*r)->users->history(user->id);
  if (!history) return report(ctx, history.error());
  nlohmann::json out = user_json(*user);
  out["history"] = nlohmann::json::array();
  for (const auto& change : *history) {
    out["history"].push_back(
        {{"from", change.from},
         {"to", change.to},
         {"actor", change.actor},
         {"reason", change.reason},
         {"time", audit::format_time(TimePoint(std::chrono::milliseconds(change.time_ms)))}});
  }
  if (opts.json) {
    ctx.out << out.dump() << "\n";
  } else {
    ctx.out << out.dump(2) << "\n";
  }
  return 0;
}

int run_find(CommandContext& ctx, const UsersOptions& opts) {
  const int given = int{opts.phone.has_value()} + int{opts.id_number.has_value()} +
                    int{opts.credit_code.has_value()};
  if (given != 1) {
    return report(ctx, Error{ErrorCode::kUsage,
                             "users find takes one of --phone, --id-number, --credit-code"});
  }
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto found = opts.phone       ? (*r)->users->find("phone", *opts.phone)
               : opts.id_number ? (*r)->users->find("id_number", *opts.id_number)
                                : (*r)->users->find("credit_code", *opts.credit_code);
  if (!found) return report(ctx, found.error());
  if (opts.json) {
    ctx.out << nlohmann::json{{"users", *found}}.dump() << "\n";
  } else {
    for (const auto& id : *found) ctx.out << id << "\n";
  }
  return 0;
}

int run_approve(CommandContext& ctx, const UsersOptions& opts) {
  if (opts.actor.empty()) return report(ctx, Error{ErrorCode::kUsage, "--actor is required"});
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto v = (*r)->users->start_verification(opts.user_id, "manual", opts.actor);
  if (!v) return report(ctx, v.error());
  auto user = (*r)->users->confirm(opts.user_id, v->id, "approve", opts.actor);
  if (!user) return report(ctx, user.error());
  return print_user(ctx, opts, *user);
}

int run_suspend(CommandContext& ctx, const UsersOptions& opts, bool suspend) {
  if (opts.actor.empty()) return report(ctx, Error{ErrorCode::kUsage, "--actor is required"});
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto user = suspend ? (*r)->users->suspend(opts.user_id, opts.reason, opts.actor)
                      : (*r)->users->reinstate(opts.user_id, opts.reason, opts.actor);
  if (!user) return report(ctx, user.error());
  return print_user(ctx, opts, *user);
}

int run_reveal(CommandContext& ctx, const UsersOptions& opts) {
  if (opts.actor.empty() || opts.purpose.empty()) {
    return report(ctx, Error{ErrorCode::kUsage, "users reveal needs --actor and --purpose"});
  }
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto value =
      (*r)->vault->reveal_text(opts.user_id, opts.field, {opts.actor, opts.purpose, opts.user_id});
  if (!value) return report(ctx, value.error());
  if (opts.json) {
    ctx.out << nlohmann::json{{"field", opts.field}, {"value", *value}}.dump() << "\n";
  } else {
    ctx.out << *value << "\n";
  }
  return 0;
}

int run_rewrap(CommandContext& ctx, const UsersOptions& opts) {
  if (!opts.previous_key_file) {
    return report(ctx, Error{ErrorCode::kUsage, "--previous-key-file is required"});
  }
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto report_ = (*r)->vault->rewrap();
  if (!report_) return report(ctx, report_.error());
  if (opts.json) {
    ctx.out << nlohmann::json{{"rewrapped", report_->rewrapped},
                              {"already_current", report_->current},
                              {"key_id", (*r)->vault->current_key_id()}}
                   .dump()
            << "\n";
  } else {
    ctx.out << "rewrapped " << report_->rewrapped << " keys under " << (*r)->vault->current_key_id()
            << "\n";
  }
  return 0;
}

}  // namespace

void add_users_command(CLI::App& app, CommandContext& ctx) {
  auto* users = app.add_subcommand("users", "Real-name user records (operators)");
  users->require_subcommand(1);
  auto opts = std::make_shared<UsersOptions>();
  const auto common = [&opts](CLI::App* cmd) {
    cmd->add_option("--config", opts->config_file, "TOML configuration file");
    cmd->add_option("--db", opts->db, "Database: sqlite:PATH or postgresql://...");
    cmd->add_flag("--json", opts->json, "Print one JSON object");
  };

  auto* create = users->add_subcommand("create", "Register a user (values are validated)");
  common(create);
  create->add_option("--kind", opts->kind, "individual (default) or organisation");
  create->add_option("--name", opts->name, "Name (stored encrypted)");
  create->add_option("--id-number", opts->id_number, "ID or permit number (stored encrypted)");
  create->add_option("--phone", opts->phone, "Mobile number (stored encrypted)");
  create->add_option("--credit-code", opts->credit_code, "Organisation's credit code");
  create->add_option("--actor", opts->actor, "Who registers the user");
  create->callback([&ctx, opts] { ctx.exit_code = run_create(ctx, *opts); });

  auto* get = users->add_subcommand("get", "A user's state and its history");
  common(get);
  get->add_option("USER_ID", opts->user_id)->required();
  get->callback([&ctx, opts] { ctx.exit_code = run_get(ctx, *opts); });

  auto* find = users->add_subcommand("find", "Users with this exact phone, ID number or code");
  common(find);
  find->add_option("--phone", opts->phone);
  find->add_option("--id-number", opts->id_number);
  find->add_option("--credit-code", opts->credit_code);
  find->callback([&ctx, opts] { ctx.exit_code = run_find(ctx, *opts); });

  auto* approve =
      users->add_subcommand("approve", "Verify an organisation after checking its papers");
  common(approve);
  approve->add_option("USER_ID", opts->user_id)->required();
  approve->add_option("--actor", opts->actor, "The operator")->required();
  approve->callback([&ctx, opts] { ctx.exit_code = run_approve(ctx, *opts); });

  for (const bool suspend : {true, false}) {
    auto* cmd = users->add_subcommand(suspend ? "suspend" : "reinstate",
                                      suspend ? "Suspend a user" : "Lift a suspension");
    common(cmd);
    cmd->add_option("USER_ID", opts->user_id)->required();
    cmd->add_option("--reason", opts->reason, "Why")->required();
    cmd->add_option("--actor", opts->actor, "The operator")->required();
    cmd->callback([&ctx, opts, suspend] { ctx.exit_code = run_suspend(ctx, *opts, suspend); });
  }

  auto* reveal = users->add_subcommand(
      "reveal", "Print one stored personal field (name, id_number, phone); audited");
  common(reveal);
  reveal->add_option("USER_ID", opts->user_id)->required();
  reveal->add_option("--field", opts->field, "name, id_number, phone, credit_code")->required();
  reveal->add_option("--actor", opts->actor, "Who reads")->required();
  reveal->add_option("--purpose", opts->purpose, "Why (recorded)")->required();
  reveal->callback([&ctx, opts] { ctx.exit_code = run_reveal(ctx, *opts); });

  auto* rewrap = users->add_subcommand(
      "rewrap-keys",
      "Move the vault onto the current key-encryption key (keys.dir/vault.key or "
      "$SYNTHGATE_VAULT_KEY) from the previous one");
  common(rewrap);
  rewrap->add_option("--previous-key-file", opts->previous_key_file, "The former 32-byte key")
      ->required();
  rewrap->callback([&ctx, opts] { ctx.exit_code = run_rewrap(ctx, *opts); });
}

}  // namespace synthgate::cli
