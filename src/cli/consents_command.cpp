// synthgate consents add-subject|grant|revoke|list|check: consents of real people to the use
// of their face, voice or body, for operators.
#include <nlohmann/json.hpp>
#include <ostream>

#include "audit/time_text.hpp"
#include "cli/command.hpp"
#include "cli/identity_records.hpp"
#include "core/digest.hpp"
#include "core/file_io.hpp"

namespace synthgate::cli {

namespace {

struct ConsentsOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> db;
  bool json = false;
  std::string actor = "cli";
  // add-subject
  std::string name;
  std::optional<std::string> id_number;
  std::optional<std::string> user_id;
  // grant, list, check
  std::vector<std::string> subjects;
  std::vector<std::string> modalities;
  std::vector<std::string> purposes;
  std::vector<std::string> services;
  std::vector<std::string> users;
  std::string from;
  std::string until;
  std::string granted_by = "subject";
  std::optional<std::string> guardian_name;
  std::optional<std::string> evidence_file;
  std::optional<std::string> evidence_sha256;
  std::optional<std::string> time;
  // revoke
  std::string consent_id;
  std::string reason;
};

std::string time_text(std::int64_t ms) {
  return audit::format_time(TimePoint(std::chrono::milliseconds(ms)));
}

nlohmann::json consent_json(const consent::Consent& c) {
  nlohmann::json out{{"id", c.id},
                     {"subject_id", c.subject_id},
                     {"modalities", c.modalities},
                     {"purposes", c.purposes},
                     {"services", c.services},
                     {"users", c.users},
                     {"valid_from", time_text(c.valid_from_ms)},
                     {"valid_until", time_text(c.valid_until_ms)},
                     {"granted_by", c.granted_by},
                     {"evidence_sha256", c.evidence_sha256},
                     {"revoked", c.revoked_ms.has_value()}};
  if (c.revoked_ms) out["revoked_at"] = time_text(*c.revoked_ms);
  return out;
}

Result<std::unique_ptr<IdentityRecords>> open(const CommandContext& ctx, const ConsentsOptions& o) {
  return open_identity_records(ctx, o.config_file, o.db, std::nullopt);
}

int run_add_subject(CommandContext& ctx, const ConsentsOptions& opts) {
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto s = (*r)->consents->add_subject({opts.name, opts.id_number, opts.user_id, opts.actor});
  if (!s) return report(ctx, s.error());
  if (opts.json) {
    ctx.out << nlohmann::json{{"id", s->id}, {"minor_under_14", s->minor_under_14}}.dump() << "\n";
  } else {
    ctx.out << s->id << "\n";
  }
  return 0;
}

int run_grant(CommandContext& ctx, const ConsentsOptions& opts) {
  auto from = audit::parse_time(opts.from);
  if (!from) return report(ctx, Error{ErrorCode::kUsage, "--from: " + from.error().message});
  auto until = audit::parse_time(opts.until);
  if (!until) return report(ctx, Error{ErrorCode::kUsage, "--until: " + until.error().message});
  consent::Grant g;
  g.subject_id = opts.subjects.empty() ? "" : opts.subjects.front();
  g.modalities = opts.modalities;
  g.purposes = opts.purposes;
  g.services = opts.services;
  g.users = opts.users;
  g.valid_from = *from;
  g.valid_until = *until;
  g.granted_by = opts.granted_by;
  g.guardian_name = opts.guardian_name;
  g.actor = opts.actor;
  if (opts.evidence_file) {
    auto bytes = read_file(*opts.evidence_file, std::size_t{20} << 20);
    if (!bytes) return report(ctx, bytes.error());
    g.evidence_sha256 = hex_encode(sha256(*bytes));
    g.evidence_document = std::move(*bytes);
  }
  if (opts.evidence_sha256) g.evidence_sha256 = *opts.evidence_sha256;
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto c = (*r)->consents->grant(g);
  if (!c) return report(ctx, c.error());
  ctx.out << (opts.json ? consent_json(*c).dump() : c->id) << "\n";
  return 0;
}

int run_revoke(CommandContext& ctx, const ConsentsOptions& opts) {
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto c = (*r)->consents->revoke(opts.consent_id, opts.reason, opts.actor);
  if (!c) return report(ctx, c.error());
  ctx.out << (opts.json ? consent_json(*c).dump() : "revoked " + c->id) << "\n";
  return 0;
}

int run_list(CommandContext& ctx, const ConsentsOptions& opts) {
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto s = (*r)->consents->subject(opts.subjects.front());
  if (!s) return report(ctx, s.error());
  auto list = (*r)->consents->consents_of(s->id);
  if (!list) return report(ctx, list.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : *list) items.push_back(consent_json(c));
  ctx.out << nlohmann::json{{"subject_id", s->id}, {"consents", std::move(items)}}.dump(
                 opts.json ? -1 : 2)
          << "\n";
  return 0;
}

int run_check(CommandContext& ctx, const ConsentsOptions& opts) {
  consent::CheckRequest request;
  request.subjects = opts.subjects;
  request.modality = opts.modalities.empty() ? "" : opts.modalities.front();
  request.service = opts.services.empty() ? "" : opts.services.front();
  request.user = opts.users.empty() ? "" : opts.users.front();
  if (opts.time) {
    auto t = audit::parse_time(*opts.time);
    if (!t) return report(ctx, Error{ErrorCode::kUsage, "--time: " + t.error().message});
    request.time = *t;
  }
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto result = (*r)->consents->check(request);
  if (!result) return report(ctx, result.error());
  nlohmann::json missing = nlohmann::json::array();
  for (const auto& m : result->missing) {
    nlohmann::json item{
        {"subject_id", m.subject_id}, {"modality", m.modality}, {"reason", m.reason}};
    if (m.consent_id) item["consent_id"] = *m.consent_id;
    missing.push_back(std::move(item));
  }
  const nlohmann::json out{
      {"allowed", result->allowed}, {"consents", result->consent_ids}, {"missing", missing}};
  ctx.out << out.dump(opts.json ? -1 : 2) << "\n";
  return 0;  // the decision is the output, as with `moderate`
}

}  // namespace

void add_consents_command(CLI::App& app, CommandContext& ctx) {
  auto* consents = app.add_subcommand("consents", "Subjects and their consents (operators)");
  consents->require_subcommand(1);
  auto opts = std::make_shared<ConsentsOptions>();
  const auto common = [&opts](CLI::App* cmd) {
    cmd->add_option("--config", opts->config_file, "TOML configuration file");
    cmd->add_option("--db", opts->db, "Database: sqlite:PATH or postgresql://...");
    cmd->add_option("--actor", opts->actor, "Who acts (recorded in the audit log)");
    cmd->add_flag("--json", opts->json, "Print one JSON object");
  };

  auto* add = consents->add_subcommand("add-subject", "Add a real person (name stored encrypted)");
  common(add);
  add->add_option("--name", opts->name)->required();
  add->add_option("--id-number", opts->id_number, "Their ID number (gives the age)");
  add->add_option("--user-id", opts->user_id, "When the subject is also a user");
  add->callback([&ctx, opts] { ctx.exit_code = run_add_subject(ctx, *opts); });

  auto* grant = consents->add_subcommand("grant", "Record a consent");
  common(grant);
  grant->add_option("--subject", opts->subjects)->required();
  grant->add_option("--modality", opts->modalities, "face, voice, body, other_biometric")
      ->required();
  grant->add_option("--purpose", opts->purposes)->required();
  grant->add_option("--service", opts->services, "Service id, or * for every one")->required();
  grant->add_option("--user", opts->users, "User id, or * for every one")->required();
  grant->add_option("--from", opts->from, "Valid from (2026-01-01 or RFC 3339 UTC)")->required();
  grant->add_option("--until", opts->until, "Valid until (exclusive)")->required();
  grant->add_option("--granted-by", opts->granted_by, "subject (default) or guardian");
  grant->add_option("--guardian-name", opts->guardian_name);
  grant->add_option("--evidence-file", opts->evidence_file,
                    "The signed document (stored encrypted; its SHA-256 is recorded)");
  grant->add_option("--evidence-sha256", opts->evidence_sha256,
                    "The document's SHA-256, when the document is kept elsewhere");
  grant->callback([&ctx, opts] { ctx.exit_code = run_grant(ctx, *opts); });

  auto* revoke = consents->add_subcommand("revoke", "Revoke a consent, effective at once");
  common(revoke);
  revoke->add_option("CONSENT_ID", opts->consent_id)->required();
  revoke->add_option("--reason", opts->reason)->required();
  revoke->callback([&ctx, opts] { ctx.exit_code = run_revoke(ctx, *opts); });

  auto* list = consents->add_subcommand("list", "A subject's consents");
  common(list);
  list->add_option("--subject", opts->subjects)->required()->expected(1);
  list->callback([&ctx, opts] { ctx.exit_code = run_list(ctx, *opts); });

  auto* check = consents->add_subcommand(
      "check",
      "Allowed, or exactly which subject's consent is missing and why (exit 0 either way)");
  common(check);
  check->add_option("--subject", opts->subjects)->required();
  check->add_option("--modality", opts->modalities)->required()->expected(1);
  check->add_option("--service", opts->services)->required()->expected(1);
  check->add_option("--user", opts->users)->required()->expected(1);
  check->add_option("--time", opts->time, "When (default now)");
  check->callback([&ctx, opts] { ctx.exit_code = run_check(ctx, *opts); });
}

}  // namespace synthgate::cli
