// synthgate compliance inventory|assess|role|sign|report|tasks|datasets: the compliance
// programme (docs/compliance.md) for the compliance lead and the data-governance owner.
#include <fstream>
#include <ostream>
#include <sstream>

#include "audit/time_text.hpp"
#include "cli/command.hpp"
#include "cli/compliance_samples.hpp"
#include "cli/runtime_setup.hpp"
#include "core/file_io.hpp"
#include "governance/assessment_json.hpp"
#include "governance/compliance_reports.hpp"
#include "moderation/character_tables.hpp"
#include "moderation/lexicon.hpp"
#include "moderation/text_moderator.hpp"

namespace synthgate::cli {

namespace {

using json = nlohmann::json;

struct ComplianceOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> db;
  bool json = false;
  std::string actor = "cli";
  std::string file;
  std::optional<std::int64_t> version;
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::string role;
  std::string person;
  std::string kind;
  std::string format;
  std::string out;
  std::string test_results;  // a JUnit report (ctest --output-junit) for the self-assessment
  std::string task_id;
  // datasets
  std::string dataset_id;
  std::string source;
  std::string licence;
  std::string pi_basis;
  std::string consent;
  std::string collected_on;
};

// The records every compliance command works on.
struct Session {
  AuditedRecords base;
  std::unique_ptr<IdGenerator> ids;
  std::unique_ptr<governance::GovernanceRecords> records;
};

Result<std::unique_ptr<Session>> open(const CommandContext& ctx, const ComplianceOptions& o) {
  auto s = std::make_unique<Session>();
  if (auto ok = open_audited_records(ctx, o.config_file, o.db, s->base); !ok) {
    return tl::unexpected(ok.error());
  }
  s->ids = std::make_unique<IdGenerator>(s->base.clock, s->base.random);
  s->records = std::make_unique<governance::GovernanceRecords>(*s->base.store, *s->base.audit,
                                                               s->base.clock, *s->ids);
  return s;
}

governance::Thresholds thresholds_of(const Config& c) {
  const auto n = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
  return {n(c.compliance.registered_users_threshold), n(c.compliance.verified_users_threshold),
          n(c.compliance.daily_active_users_threshold),
          n(c.compliance.monthly_active_users_threshold), n(c.compliance.generations_threshold)};
}

void print(CommandContext& ctx, const ComplianceOptions& o, const json& value,
           const std::string& plain) {
  if (o.json) {
    ctx.out << value.dump() << "\n";
  } else {
    ctx.out << plain << "\n";
  }
}

int run_import(CommandContext& ctx, const ComplianceOptions& o) {
  auto bytes = read_file(o.file);
  if (!bytes) return report(ctx, bytes.error());
  auto inventory = governance::parse_inventory_text(as_chars(*bytes));
  if (!inventory) return report(ctx, inventory.error());
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  auto version = (*s)->records->import_inventory(*inventory, o.actor);
  if (!version) return report(ctx, version.error());
  print(ctx, o, {{"version", version->version}, {"sha256", version->sha256}},
        "inventory version " + std::to_string(version->version));
  return 0;
}

int run_export(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  auto version = (*s)->records->inventory_version(o.version);
  if (!version) return report(ctx, version.error());
  const std::string text = governance::inventory_json(version->inventory).dump(2) + "\n";
  if (o.out.empty()) {
    ctx.out << text;
    return 0;
  }
  if (auto ok = write_file_atomically(o.out, as_bytes(text)); !ok) return report(ctx, ok.error());
  return 0;
}

int run_diff(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  auto diff = (*s)->records->diff(o.from, o.to);
  if (!diff) return report(ctx, diff.error());
  ctx.out << (o.json ? diff->dump() : diff->dump(2)) << "\n";
  return 0;
}

int run_assess(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  auto& records = *(*s)->records;
  auto version = records.inventory_version(o.version);
  if (!version) return report(ctx, version.error());
  const auto scope = governance::assess_scope(version->inventory);
  auto metrics = governance::gather_metrics(records.store(), records.clock().now());
  if (!metrics) return report(ctx, metrics.error());
  governance::ComplianceTasks tasks(records);
  auto alerts = tasks.raise_alerts(*metrics, thresholds_of((*s)->base.config));
  if (!alerts) return report(ctx, alerts.error());
  for (const auto& a : *alerts) {
    ctx.err << "synthgate: alert: " << a.crossing.metric << " " << a.crossing.value
            << " reached the threshold " << a.crossing.threshold
            << "; security assessment and filing task " << a.task_id << "\n";
  }
  auto signs = records.sign_offs(version->version);
  if (!signs) return report(ctx, signs.error());
  json out = governance::assessment_json(*version, scope, *metrics, *alerts, *signs);
  std::ostringstream plain;
  for (const auto& d : scope.units) {
    plain << d.id << " " << (d.in_scope ? "in scope" : "out of scope") << "\n";
  }
  for (const auto& d : scope.items) {
    plain << "  " << d.kind << " " << d.id << " " << (d.in_scope ? "in scope" : "out of scope")
          << "\n";
  }
  plain << "version " << version->version << ", "
        << (signs->empty() ? "not signed" : "signed by " + signs->back().signer);
  print(ctx, o, out, plain.str());
  return 0;
}

int run_role(CommandContext& ctx, const ComplianceOptions& o) {
  auto role = governance::parse_role(o.role);
  if (!role) return report(ctx, Error{ErrorCode::kUsage, "--role: " + role.error().message});
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  auto assigned = (*s)->records->assign_role(*role, o.person, o.actor);
  if (!assigned) return report(ctx, assigned.error());
  print(ctx, o, {{"role", o.role}, {"person", o.person}}, o.role + ": " + o.person);
  return 0;
}

int run_sign(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  auto version = (*s)->records->inventory_version(o.version);
  if (!version) return report(ctx, version.error());
  auto signed_off = (*s)->records->sign_off(version->version, o.person);
  if (!signed_off) return report(ctx, signed_off.error());
  print(
      ctx, o,
      {{"id", signed_off->id},
       {"version", signed_off->version},
       {"sha256", signed_off->sha256},
       {"signer", signed_off->signer},
       {"signed", audit::format_time(TimePoint(std::chrono::milliseconds(signed_off->signed_ms)))},
       {"audit_index", signed_off->audit_index}},
      "version " + std::to_string(signed_off->version) + " signed by " + signed_off->signer);
  return 0;
}

int run_report(CommandContext& ctx, const ComplianceOptions& o) {
  auto kind = governance::parse_report_kind(o.kind);
  if (!kind) return report(ctx, kind.error());
  if (o.format != "pdf" && o.format != "html" && o.format != "json") {
    return report(ctx, Error{ErrorCode::kUsage, "--format: pdf, html or json"});
  }
  if (auto ok = check_output_path(o.out); !ok) return report(ctx, ok.error());
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  const Config& config = (*s)->base.config;
  auto samples = governance::LabelSamples{};
  if (*kind == governance::ReportKind::kFiling) {
    auto made = make_label_samples(config);
    if (!made) return report(ctx, made.error());
    samples = std::move(*made);
  }
  auto inputs = governance::gather_report_inputs(
      *(*s)->records, o.version, thresholds_of(config),
      {config.compliance.algorithm_name, config.compliance.algorithm_type,
       config.compliance.complaint_channel},
      std::move(samples));
  if (!inputs) return report(ctx, inputs.error());
  if (!o.test_results.empty()) {
    if (*kind != governance::ReportKind::kSelfAssessment) {
      return report(ctx,
                    Error{ErrorCode::kUsage, "--test-results goes with --kind self-assessment"});
    }
    auto xml = read_file(o.test_results);
    if (!xml) return report(ctx, xml.error());
    auto run = reports::read_junit_results(*xml);
    if (!run) return report(ctx, with_context(run.error(), o.test_results));
    inputs->test_run = std::move(*run);
  }
  const auto document = governance::build_report(*kind, *inputs);
  Bytes bytes;
  if (o.format == "pdf") {
    auto pdf = reports::render_pdf(document);
    if (!pdf) return report(ctx, pdf.error());
    bytes = std::move(*pdf);
  } else {
    const std::string text = o.format == "html"
                                 ? reports::render_html(document)
                                 : governance::report_document_json(document).dump(2) + "\n";
    bytes.assign(text.begin(), text.end());
  }
  if (auto ok = write_file_atomically(o.out, bytes); !ok) return report(ctx, ok.error());
  print(ctx, o,
        {{"kind", o.kind},
         {"format", o.format},
         {"out", o.out},
         {"bytes", bytes.size()},
         {"version", inputs->inventory.version}},
        o.out);
  return 0;
}

int run_tasks(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  governance::ComplianceTasks tasks(*(*s)->records);
  if (auto scheduled = tasks.schedule_log_completeness(); !scheduled) {
    return report(ctx, scheduled.error());
  }
  auto overdue = tasks.overdue();
  if (!overdue) return report(ctx, overdue.error());
  for (const auto& t : *overdue) {
    ctx.err << "synthgate: overdue: " << t.title << " (" << governance::role_name(t.owner)
            << ", due " << audit::format_time(TimePoint(std::chrono::milliseconds(t.due_ms)))
            << ")\n";
  }
  auto all = tasks.list();
  if (!all) return report(ctx, all.error());
  const std::int64_t now = unix_millis((*s)->base.clock.now());
  json out = {{"tasks", json::array()}, {"overdue", overdue->size()}};
  std::ostringstream plain;
  for (const auto& t : *all) {
    const json one = governance::task_json(t, now);
    out["tasks"].push_back(one);
    plain << t.id << " " << one["state"].get<std::string>() << " " << one["due"].get<std::string>()
          << " " << governance::role_name(t.owner) << " " << t.title << "\n";
  }
  std::string text = plain.str();
  if (!text.empty()) text.pop_back();
  print(ctx, o, out, text.empty() ? "no tasks" : text);
  return 0;
}

int run_verify_logs(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  auto key = (*s)->base.audit->own_verifier_key();
  if (!key) return report(ctx, key.error());
  governance::ComplianceTasks tasks(*(*s)->records);
  auto done = tasks.verify_log_completeness(o.task_id, o.person, *key);
  if (!done) return report(ctx, done.error());
  print(ctx, o, governance::task_json(*done, unix_millis((*s)->base.clock.now())),
        "log completeness " + done->subject + " verified by " + done->done_by);
  return 0;
}

int run_dataset_add(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  governance::Dataset d;
  d.source = o.source;
  d.licence = o.licence;
  d.pi_basis = o.pi_basis;
  d.consent = o.consent;
  d.collected_on = o.collected_on;
  auto added = governance::DatasetRegistry(*(*s)->records).add(d, o.actor);
  if (!added) return report(ctx, added.error());
  print(ctx, o, governance::dataset_json(*added), added->id);
  return 0;
}

int run_dataset_list(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  auto all = governance::DatasetRegistry(*(*s)->records).list();
  if (!all) return report(ctx, all.error());
  json out = {{"datasets", json::array()}};
  std::ostringstream plain;
  for (const auto& d : *all) {
    out["datasets"].push_back(governance::dataset_json(d));
    plain << d.id << " " << d.source << " "
          << (d.usable ? (*d.usable ? "usable" : "UNUSABLE") : "not checked") << "\n";
  }
  ctx.out << (o.json ? out.dump() + "\n" : plain.str());
  return 0;
}

// TC260-003 §5: each line of the sample is one item, moderated with the configured lexicons;
// an item is flagged when a lexicon term (not personal data) matches.
int run_dataset_check(CommandContext& ctx, const ComplianceOptions& o) {
  auto s = open(ctx, o);
  if (!s) return report(ctx, s.error());
  const Config& config = (*s)->base.config;
  auto tables = moderation::load_character_tables({});
  if (!tables) return report(ctx, tables.error());
  std::vector<moderation::Lexicon> lexicons;
  for (const auto& path : config.moderation.lexicons) {
    auto lexicon = moderation::read_lexicon_file(path);
    if (!lexicon) return report(ctx, lexicon.error());
    lexicons.push_back(std::move(*lexicon));
  }
  if (lexicons.empty()) {
    return report(ctx, Error{ErrorCode::kFailedPrecondition,
                             "no lexicon is configured (moderation.lexicons): a sampling check "
                             "without one would prove nothing"});
  }
  auto moderator =
      moderation::TextModerator::build(*tables, moderation::merge_lexicons(lexicons), {});
  if (!moderator) return report(ctx, moderator.error());
  std::ifstream in(o.file);
  if (!in) return report(ctx, Error{ErrorCode::kIo, "cannot read " + o.file});
  std::int64_t sampled = 0;
  std::int64_t flagged = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++sampled;
    auto decision = (*moderator)->check(line);
    if (!decision) return report(ctx, decision.error());
    for (const auto& m : decision->matches) {
      if (!m.personal_data) {
        ++flagged;
        break;
      }
    }
  }
  if (sampled == 0) return report(ctx, Error{ErrorCode::kInvalidArgument, o.file + " is empty"});
  auto checked = governance::DatasetRegistry(*(*s)->records)
                     .record_check(o.dataset_id, sampled, flagged, o.actor);
  if (!checked) return report(ctx, checked.error());
  print(ctx, o, governance::dataset_json(*checked),
        std::to_string(flagged) + " / " + std::to_string(sampled) +
            " flagged: " + (*checked->usable ? "usable" : "UNUSABLE (more than 5%)"));
  return 0;
}

}  // namespace

void add_compliance_command(CLI::App& app, CommandContext& ctx) {
  auto opts = std::make_shared<ComplianceOptions>();
  auto* compliance = app.add_subcommand(
      "compliance", "The compliance programme: inventory and scope, sign-off, reports, tasks");
  compliance->require_subcommand(1);
  const auto common = [&opts](CLI::App* cmd) {
    cmd->add_option("--config", opts->config_file, "TOML configuration file");
    cmd->add_option("--db", opts->db, "Database: sqlite:PATH or postgresql://...");
    cmd->add_flag("--json", opts->json, "Print one JSON object");
    cmd->add_option("--actor", opts->actor, "Who makes the change (audited; default cli)");
  };

  auto* inventory = compliance->add_subcommand(
      "inventory", "Business units, products, features and third-party APIs (JSON)");
  inventory->require_subcommand(1);
  auto* import = inventory->add_subcommand("import", "Store a new inventory version from a file");
  common(import);
  import->add_option("FILE", opts->file, "The inventory (JSON, docs/compliance.md)")->required();
  import->callback([&ctx, opts] { ctx.exit_code = run_import(ctx, *opts);
});
auto* exp = inventory->add_subcommand("export", "Print (or write) an inventory version");
common(exp);
exp->add_option("--version", opts->version, "Version (default: the latest)");
exp->add_option("--out", opts->out, "Write to this file (atomically) instead of stdout");
exp->callback([&ctx, opts] { ctx.exit_code = run_export(ctx, *opts); });
auto* diff = inventory->add_subcommand("diff", "What changed between two versions");
common(diff);
diff->add_option("FROM", opts->from, "Older version")->required();
diff->add_option("TO", opts->to, "Newer version")->required();
diff->callback([&ctx, opts] { ctx.exit_code = run_diff(ctx, *opts); });

auto* assess = compliance->add_subcommand(
    "assess", "Scope decision per item and unit, metrics, thresholds (alerts raised)");
common(assess);
assess->add_option("--version", opts->version, "Inventory version (default: the latest)");
assess->callback([&ctx, opts] { ctx.exit_code = run_assess(ctx, *opts); });

auto* role = compliance->add_subcommand("role",
                                        "Designate the compliance lead or the "
                                        "data-governance owner");
common(role);
role->add_option("--role", opts->role, "compliance_lead or data_governance_owner")->required();
role->add_option("--person", opts->person, "Who holds it")->required();
role->callback([&ctx, opts] { ctx.exit_code = run_role(ctx, *opts); });

auto* sign = compliance->add_subcommand("sign", "The compliance lead signs a scope assessment");
common(sign);
sign->add_option("--version", opts->version, "Inventory version (default: the latest)");
sign->add_option("--signer", opts->person, "The compliance lead")->required();
sign->callback([&ctx, opts] { ctx.exit_code = run_sign(ctx, *opts); });

auto* rep = compliance->add_subcommand("report",
                                       "Scope assessment, filing draft or security "
                                       "self-assessment as PDF, HTML or JSON");
common(rep);
rep->add_option("--kind", opts->kind, "scope, filing or self-assessment")->required();
rep->add_option("--format", opts->format, "pdf, html or json")->required();
rep->add_option("--out", opts->out, "Output file (written atomically)")->required();
rep->add_option("--version", opts->version, "Inventory version (default: the latest)");
rep->add_option("--test-results", opts->test_results,
                "Self-assessment: a JUnit XML test report (ctest --output-junit FILE) shown as "
                "evidence");
rep->callback([&ctx, opts] { ctx.exit_code = run_report(ctx, *opts); });

auto* tasks = compliance->add_subcommand(
    "tasks",
    "Compliance tasks (the quarterly log check is opened when due); overdue ones "
    "alerted on stderr");
common(tasks);
tasks->callback([&ctx, opts, tasks] {
  if (tasks->get_subcommands().empty()) ctx.exit_code = run_tasks(ctx, *opts);
});
auto* verify = tasks->add_subcommand(
    "verify-logs", "The data-governance owner verifies log completeness for a task's quarter");
common(verify);
verify->add_option("TASK_ID", opts->task_id, "The log_completeness task")->required();
verify->add_option("--person", opts->person, "The data-governance owner")->required();
verify->callback([&ctx, opts] { ctx.exit_code = run_verify_logs(ctx, *opts); });

auto* datasets = compliance->add_subcommand("datasets",
                                            "Training-data sources and their "
                                            "sampling checks (TC260-003 §5)");
datasets->require_subcommand(1);
auto* add = datasets->add_subcommand("add", "Register a source");
common(add);
add->add_option("--source", opts->source, "Where the data comes from")->required();
add->add_option("--licence", opts->licence, "Its licence")->required();
add->add_option("--pi-basis", opts->pi_basis, "Personal-information basis")->required();
add->add_option("--consent", opts->consent, "How consent was obtained")->required();
add->add_option("--collected-on", opts->collected_on, "YYYY-MM-DD")->required();
add->callback([&ctx, opts] { ctx.exit_code = run_dataset_add(ctx, *opts); });
auto* list = datasets->add_subcommand("list", "Every source with its latest check");
common(list);
list->callback([&ctx, opts] { ctx.exit_code = run_dataset_list(ctx, *opts); });
auto* check = datasets->add_subcommand(
    "check", "Moderate a sample (one item per line); more than 5% flagged: unusable");
common(check);
check->add_option("DATASET_ID", opts->dataset_id, "The source")->required();
check->add_option("--sample", opts->file, "Sample file, one item per line")->required();
check->callback([&ctx, opts] { ctx.exit_code = run_dataset_check(ctx, *opts); });
}  // namespace synthgate::cli

}  // namespace synthgate::cli
