// synthgate complaints list|show|act: the complaint workflow for operators, on the database
// the gateway uses. Every change is audited as it is over HTTP.
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "cli/identity_records.hpp"
#include "complaints/complaint_records.hpp"
#include "core/file_io.hpp"
#include "moderation/active_blocklist.hpp"
#include "pipeline/blocklist_hashes.hpp"
#include "pipeline/pipeline_records.hpp"
#include "reports/report_document.hpp"
#include "server/complaint_desk.hpp"
#include "server/complaint_report.hpp"

namespace synthgate::cli {

namespace {

struct ComplaintsOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> db;
  bool json = false;
  std::optional<std::string> state;
  std::optional<std::string> category;
  bool overdue = false;
  std::string id;
  std::string action;
  std::string to;
  std::string reason;
  std::string assignee;
  std::string actor = "cli";
  std::optional<std::string> pdf;
};

// The records `act` composes: complaints, content records, the blocklist table, users.
struct ComplaintRecordsSet {
  std::unique_ptr<IdentityRecords> identity;
  std::unique_ptr<complaints::ComplaintRecords> complaints;
  std::unique_ptr<pipeline::PipelineRecords> contents;
  // The CLI adds to the table; a running gateway swaps the hash in on its next beat.
  moderation::ActiveBlocklist blocklist;
  std::unique_ptr<pipeline::BlocklistHashes> hashes;
  std::unique_ptr<complaints::ComplaintLimits> limits;
  std::unique_ptr<server::ComplaintDesk> desk;
};

Result<std::unique_ptr<ComplaintRecordsSet>> open(const CommandContext& ctx,
                                                  const ComplaintsOptions& o) {
  auto identity = open_identity_records(ctx, o.config_file, o.db, std::nullopt);
  if (!identity) return tl::unexpected(identity.error());
  auto r = std::make_unique<ComplaintRecordsSet>();
  r->identity = std::move(*identity);
  auto& i = *r->identity;
  r->complaints = std::make_unique<complaints::ComplaintRecords>(*i.store, *i.audit, *i.vault,
                                                                 i.clock, *i.ids, i.random);
  r->contents = std::make_unique<pipeline::PipelineRecords>(*i.store);
  r->hashes = std::make_unique<pipeline::BlocklistHashes>(
      *i.store, r->blocklist, std::vector<moderation::BlocklistEntry>{});
  r->limits = std::make_unique<complaints::ComplaintLimits>(i.config.complaints.limits);
  r->desk = std::make_unique<server::ComplaintDesk>(*r->complaints, *r->contents, *r->hashes,
                                                    *i.users, *i.audit, i.clock);
  return r;
}

int run_list(CommandContext& ctx, const ComplaintsOptions& opts) {
  complaints::ComplaintFilter filter;
  if (opts.state) {
    auto state = complaints::parse_state(*opts.state);
    if (!state) return report(ctx, Error{ErrorCode::kUsage, "--state: " + state.error().message});
    filter.state = *state;
  }
  filter.category = opts.category;
  filter.overdue_only = opts.overdue;
  filter.limit = 1000;
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto found = (*r)->complaints->list(filter, *(*r)->limits);
  if (!found) return report(ctx, found.error());
  const auto now = unix_millis((*r)->identity->clock.now());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& c : *found) {
    auto j = server::complaint_staff_json(c, *(*r)->limits, now);
    if (opts.json) {
      list.push_back(j);
    } else {
      ctx.out << c.id << " " << c.tracking_code << " " << c.category << " "
              << complaints::state_name(c.state) << (j["overdue"] == true ? " OVERDUE" : "")
              << "\n";
    }
  }
  if (opts.json) ctx.out << nlohmann::json{{"complaints", list}}.dump() << "\n";
  return 0;
}

int run_show(CommandContext& ctx, const ComplaintsOptions& opts) {
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto c = (*r)->complaints->get(opts.id);
  if (!c) return report(ctx, c.error());
  auto contact = (*r)->complaints->contact(*c, opts.actor, "complaint handling");
  if (!contact) return report(ctx, contact.error());
  c->contact = std::move(*contact);
  auto events = (*r)->complaints->events(opts.id);
  if (!events) return report(ctx, events.error());
  auto out =
      server::complaint_staff_json(*c, *(*r)->limits, unix_millis((*r)->identity->clock.now()));
  out["events"] = nlohmann::json::array();
  for (const auto& e : *events) out["events"].push_back(server::complaint_event_json(e));
  ctx.out << (opts.json ? out.dump() : out.dump(2)) << "\n";
  return 0;
}

int run_act(CommandContext& ctx, const ComplaintsOptions& opts) {
  auto r = open(ctx, opts);
  if (!r) return report(ctx, r.error());
  auto& records = *(*r)->complaints;
  auto& desk = *(*r)->desk;
  nlohmann::json out;
  if (opts.action == "transition") {
    auto state = complaints::parse_state(opts.to);
    if (!state) return report(ctx, Error{ErrorCode::kUsage, "--to: " + state.error().message});
    auto c = records.transition(opts.id, *state, opts.actor, opts.reason);
    if (!c) return report(ctx, c.error());
    out = server::complaint_staff_json(*c, *(*r)->limits, unix_millis((*r)->identity->clock.now()));
  } else if (opts.action == "assign") {
    if (opts.assignee.empty()) return report(ctx, Error{ErrorCode::kUsage, "--assignee is needed"});
    auto c = records.assign(opts.id, opts.assignee, opts.actor);
    if (!c) return report(ctx, c.error());
    out = server::complaint_staff_json(*c, *(*r)->limits, unix_millis((*r)->identity->clock.now()));
  } else if (opts.action == "report_to_authorities") {
    auto package = desk.authorities_package(opts.id, opts.actor);
    if (!package) return report(ctx, package.error());
    if (opts.pdf) {
      auto pdf = reports::render_pdf(server::authorities_report(*package));
      if (!pdf) return report(ctx, pdf.error());
      if (auto written = write_file_atomically(*opts.pdf, *pdf); !written) {
        return report(ctx, written.error());
      }
    }
    out = *package;
  } else {
    Result<complaints::ComplaintEvent> done = fail(ErrorCode::kUsage, "unknown action");
    if (opts.action == "note") done = records.add_note(opts.id, opts.reason, opts.actor);
    if (opts.action == "takedown") done = desk.take_down(opts.id, opts.reason, opts.actor);
    if (opts.action == "suspend_user") done = desk.suspend_user(opts.id, opts.reason, opts.actor);
    if (opts.action == "correct_label") done = desk.correct_label(opts.id, opts.reason, opts.actor);
    if (!done) return report(ctx, done.error());
    out = server::complaint_event_json(*done);
  }
  ctx.out << (opts.json ? out.dump() : out.dump(2)) << "\n";
  return 0;
}

}  // namespace

void add_complaints_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("complaints", "Public complaints and reports (operators)");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<ComplaintsOptions>();
  const auto common = [&opts](CLI::App* sub) {
    sub->add_option("--config", opts->config_file, "TOML configuration file");
    sub->add_option("--db", opts->db, "Database: sqlite:PATH or postgresql://...");
    sub->add_flag("--json", opts->json, "Print one JSON object");
  };
  auto* list = cmd->add_subcommand("list", "Complaints, newest first, with their time limits");
  common(list);
  list->add_option("--state", opts->state, "received, acknowledged, under_review, ...");
  list->add_option("--category", opts->category, "illegal_content, impersonation, ...");
  list->add_flag("--overdue", opts->overdue, "Only cases past a time limit or escalated");
  list->callback([&ctx, opts] { ctx.exit_code = run_list(ctx, *opts); });

  auto* show = cmd->add_subcommand("show", "One case with its events (contact included)");
  common(show);
  show->add_option("ID", opts->id, "The case id (not the tracking code)")->required();
  show->callback([&ctx, opts] { ctx.exit_code = run_show(ctx, *opts); });

  auto* act = cmd->add_subcommand(
      "act",
      "Act on a case: transition --to STATE, assign --assignee NAME, note --reason TEXT, "
      "takedown, suspend_user, correct_label --reason DECISION, report_to_authorities");
  common(act);
  act->add_option("ID", opts->id, "The case id")->required();
  act->add_option("ACTION", opts->action)
      ->required()
      ->check(CLI::IsMember({"transition", "assign", "note", "takedown", "suspend_user",
                             "correct_label", "report_to_authorities"}));
  act->add_option("--to", opts->to, "The state to move to (transition)");
  act->add_option("--reason", opts->reason, "Why (or the note, or the label decision)");
  act->add_option("--assignee", opts->assignee, "Who handles the case (assign)");
  act->add_option("--actor", opts->actor, "The operator (default cli)");
  act->add_option("--pdf", opts->pdf, "report_to_authorities: also write the package as a PDF");
  act->callback([&ctx, opts] { ctx.exit_code = run_act(ctx, *opts); });
}

}  // namespace synthgate::cli
