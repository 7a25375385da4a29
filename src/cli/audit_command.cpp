// synthgate audit note|export|proof|consistency|checkpoint|pubkey|verify|purge: the audit
// log for operators and regulators. The JSON shapes are the exact interfaces of
// docs/audit-log.md; an independent verifier relies on them.
#include <fstream>
#include <future>
#include <ostream>

#include "audit/audit_json.hpp"
#include "audit/audit_log.hpp"
#include "audit/time_text.hpp"
#include "cli/command.hpp"
#include "cli/runtime_setup.hpp"
#include "core/key_set.hpp"

namespace synthgate::cli {

namespace {

struct AuditOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> db;
  bool json = false;
  // note
  std::string actor;
  std::optional<std::string> text;
  std::optional<std::string> from_file;
  // export, purge
  std::optional<std::string> from_time;
  std::optional<std::string> to_time;
  std::optional<std::string> type;
  std::optional<std::string> user_id;
  std::optional<std::string> content_id;
  bool json_lines = false;
  bool no_proofs = false;
  std::optional<std::string> before;
  // proof, consistency
  std::uint64_t index = 0;
  std::optional<std::uint64_t> size;
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  // verify
  std::optional<std::string> key;
};

// Everything an audit command works with; keys only for the commands that sign.
struct AuditSession {
  Config config;
  SystemClock clock;
  SecureRandom random;
  std::unique_ptr<store::Store> store;
  std::optional<KeySet> keys;
  std::unique_ptr<audit::AuditLog> log;
};

Result<std::unique_ptr<AuditSession>> open_audit(const CommandContext& ctx,
                                                 const AuditOptions& opts, bool need_keys) {
  std::vector<std::pair<std::string, std::string>> flags;
  if (opts.db) flags.emplace_back("database.url", *opts.db);
  auto config = load_command_config(ctx, opts.config_file, std::move(flags));
  if (!config) return tl::unexpected(config.error());
  auto session = std::make_unique<AuditSession>();
  session->config = std::move(*config);
  auto records = open_records(session->config.database, session->clock);
  if (!records) return tl::unexpected(records.error());
  session->store = std::move(*records);
  if (need_keys) {
    auto keys = load_key_set(session->config.keys.dir, session->config.keys.generate_missing,
                             session->random);
    if (!keys) return tl::unexpected(keys.error());
    session->keys = std::move(keys->keys);
  }
  session->log =
      std::make_unique<audit::AuditLog>(*session->store, session->config.audit, session->clock,
                                        session->keys ? &session->keys->audit_signing : nullptr);
  return session;
}

int run_note(CommandContext& ctx, const AuditOptions& opts) {
  if (opts.text.has_value() == opts.from_file.has_value()) {
    return report(ctx, Error{ErrorCode::kUsage, "audit note takes --text or --from-file"});
  }
  if (opts.actor.empty()) return report(ctx, Error{ErrorCode::kUsage, "--actor is empty"});
  std::vector<std::string> texts;
  if (opts.text) {
    texts.push_back(*opts.text);
  } else {
    std::ifstream in(*opts.from_file);
    if (!in) return report(ctx, Error{ErrorCode::kIo, "cannot read " + *opts.from_file});
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) texts.push_back(line);
    }
  }
  auto session = open_audit(ctx, opts, true);
  if (!session) return report(ctx, session.error());
  audit::AuditLog& log = *(*session)->log;
  const auto event_for = [&](const std::string& text) {
    audit::AuditEvent event;
    event.type = audit::EventType::kOperatorNote;
    event.actor = opts.actor;
    event.details = {{"text", text}};
    return event;
  };
  // Notes of a file are appended 64 at a time, concurrently, so they share commits; each
  // index is printed, in the file's order, only once its note is durable.
  constexpr std::size_t kBatch = 64;
  std::vector<std::uint64_t> indexes;
  for (std::size_t begin = 0; begin < texts.size(); begin += kBatch) {
    const std::size_t end = std::min(texts.size(), begin + kBatch);
    std::vector<std::future<Result<std::uint64_t>>> pending;
    for (std::size_t i = begin; i < end; ++i) {
      pending.push_back(std::async(
          std::launch::async, [&log, event = event_for(texts[i])] { return log.append(event); }));
    }
    std::optional<Error> failed;
    for (auto& p : pending) {
      auto index = p.get();
      if (!index) {
        if (!failed) failed = index.error();
        continue;
      }
      if (failed) continue;  // print only an unbroken prefix of the file
      indexes.push_back(*index);
      if (!opts.json) ctx.out << *index << std::endl;
    }
    if (failed) return report(ctx, *failed);
  }
  if (auto due = log.checkpoint_if_due(); !due) return report(ctx, due.error());
  if (opts.json) {
    nlohmann::json out = opts.text
                             ? nlohmann::json{{"index", indexes.front()}}
                             : nlohmann::json{{"indexes", indexes}, {"count", indexes.size()}};
    ctx.out << out.dump() << "\n";
  }
  return 0;
}

int run_export(CommandContext& ctx, const AuditOptions& opts) {
  if (!opts.json_lines) {
    return report(ctx, Error{ErrorCode::kUsage, "audit export writes --json-lines only"});
  }
  audit::EntryFilter filter;
  if (opts.from_time) {
    auto t = audit::parse_time(*opts.from_time);
    if (!t) return report(ctx, Error{ErrorCode::kUsage, "--from: " + t.error().message});
    filter.from = *t;
  }
  if (opts.to_time) {
    auto t = audit::parse_time(*opts.to_time);
    if (!t) return report(ctx, Error{ErrorCode::kUsage, "--to: " + t.error().message});
    filter.to = *t;
  }
  if (opts.type) {
    auto type = audit::parse_event_type(*opts.type);
    if (!type) return report(ctx, Error{ErrorCode::kUsage, type.error().message});
    filter.type = *type;
  }
  filter.user_id = opts.user_id;
  filter.content_id = opts.content_id;
  auto session = open_audit(ctx, opts, false);
  if (!session) return report(ctx, session.error());
  audit::AuditLog& log = *(*session)->log;
  // Proofs are against the latest signed checkpoint, which the regulator fetches with
  // `audit checkpoint` and checks with the key from `audit pubkey`.
  auto latest = log.latest_checkpoint();
  if (!latest) return report(ctx, latest.error());
  const std::uint64_t proven_size = *latest ? (*latest)->tree_size : 0;
  filter.limit = 4096;
  for (;;) {
    auto page = log.entries(filter);
    if (!page) return report(ctx, page.error());
    for (const auto& entry : *page) {
      nlohmann::json line = audit::entry_json(entry);
      if (!opts.no_proofs) {
        line["checkpoint_size"] = proven_size;
        if (entry.index < proven_size) {
          auto proof = log.prove_inclusion(entry.index, proven_size);
          if (!proof) return report(ctx, proof.error());
          line["inclusion_path"] = audit::inclusion_json(*proof)["inclusion_path"];
        } else {
          line["inclusion_path"] = nullptr;  // newer than the latest checkpoint
        }
      }
      ctx.out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    if (page->size() < filter.limit) break;
    filter.start_index = page->back().index + 1;
  }
  ctx.out.flush();
  return 0;
}

int run_proof(CommandContext& ctx, const AuditOptions& opts) {
  auto session = open_audit(ctx, opts, false);
  if (!session) return report(ctx, session.error());
  audit::AuditLog& log = *(*session)->log;
  std::uint64_t size = 0;
  if (opts.size) {
    size = *opts.size;
  } else {
    auto latest = log.latest_checkpoint();
    if (!latest) return report(ctx, latest.error());
    if (!*latest) return report(ctx, Error{ErrorCode::kNotFound, "no checkpoint yet; give --size"});
    size = (*latest)->tree_size;
  }
  auto proof = log.prove_inclusion(opts.index, size);
  if (!proof) return report(ctx, proof.error());
  const auto out = audit::inclusion_json(*proof);
  if (opts.json) {
    ctx.out << out.dump() << "\n";
  } else {
    ctx.out << "leaf " << opts.index << " in tree of size " << size << "\nleaf hash "
            << out["leaf_hash"].get<std::string>() << "\nroot "
            << out["root_hash"].get<std::string>() << "\n";
    for (const auto& h : out["inclusion_path"]) ctx.out << "  " << h.get<std::string>() << "\n";
  }
  return 0;
}

int run_consistency(CommandContext& ctx, const AuditOptions& opts) {
  auto session = open_audit(ctx, opts, false);
  if (!session) return report(ctx, session.error());
  auto proof = (*session)->log->prove_consistency(opts.first, opts.second);
  if (!proof) return report(ctx, proof.error());
  const auto out = audit::consistency_json(*proof);
  if (opts.json) {
    ctx.out << out.dump() << "\n";
  } else {
    ctx.out << "tree " << opts.first << " (" << out["first_root"].get<std::string>() << ") -> "
            << opts.second << " (" << out["second_root"].get<std::string>() << ")\n";
    for (const auto& h : out["proof"]) ctx.out << "  " << h.get<std::string>() << "\n";
  }
  return 0;
}

int run_checkpoint(CommandContext& ctx, const AuditOptions& opts) {
  auto session = open_audit(ctx, opts, true);
  if (!session) return report(ctx, session.error());
  audit::AuditLog& log = *(*session)->log;
  // Whoever asks gets a checkpoint of the whole log: a new one when the log grew since
  // the latest (more often than the configured minimum rate is harmless).
  auto latest = log.publish_checkpoint();
  if (!latest) return report(ctx, latest.error());
  ctx.out << latest->note << std::flush;
  return 0;
}

int run_pubkey(CommandContext& ctx, const AuditOptions& opts) {
  auto session = open_audit(ctx, opts, true);
  if (!session) return report(ctx, session.error());
  auto key = (*session)->log->verifier_key_text();
  if (!key) return report(ctx, key.error());
  ctx.out << *key << "\n";
  return 0;
}

int run_verify(CommandContext& ctx, const AuditOptions& opts) {
  auto session = open_audit(ctx, opts, !opts.key.has_value());
  if (!session) return report(ctx, session.error());
  audit::AuditLog& log = *(*session)->log;
  auto key = opts.key ? audit::parse_verifier_key(*opts.key) : log.own_verifier_key();
  if (!key) return report(ctx, Error{ErrorCode::kUsage, key.error().message});
  auto result = log.verify(*key);
  if (!result) return report(ctx, result.error());
  if (opts.json) {
    ctx.out << audit::verify_json(*result).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace)
            << "\n";
  } else {
    ctx.out << (result->ok ? "verified" : "FAILED") << ": " << result->tree_size << " entries ("
            << result->purged << " purged), " << result->checkpoints_checked
            << " checkpoints, root " << hex_encode(result->root) << "\n";
    for (const auto& p : result->problems) ctx.out << "  " << p << "\n";
  }
  if (!result->ok) {
    ctx.err << "synthgate: the audit log does not verify"
            << (result->problems.empty() ? "" : ": " + result->problems.front()) << "\n";
    return 1;
  }
  return 0;
}

// The quarterly completeness report: what the period holds, and whether the whole log
// (sequence continuity, checkpoint chain) verifies today.
int run_report(CommandContext& ctx, const AuditOptions& opts) {
  if (!opts.from_time || !opts.to_time) {
    return report(ctx, Error{ErrorCode::kUsage, "audit report takes --from and --to"});
  }
  auto from = audit::parse_time(*opts.from_time);
  auto to = audit::parse_time(*opts.to_time);
  if (!from || !to) {
    return report(ctx, Error{ErrorCode::kUsage, (!from ? from : to).error().message});
  }
  auto session = open_audit(ctx, opts, !opts.key.has_value());
  if (!session) return report(ctx, session.error());
  audit::AuditLog& log = *(*session)->log;
  auto key = opts.key ? audit::parse_verifier_key(*opts.key) : log.own_verifier_key();
  if (!key) return report(ctx, Error{ErrorCode::kUsage, key.error().message});
  auto summary = log.summarize(*from, *to);
  if (!summary) return report(ctx, summary.error());
  auto verified = log.verify(*key);
  if (!verified) return report(ctx, verified.error());
  const auto optional_number = [](const std::optional<std::uint64_t>& n) {
    return n ? nlohmann::json(*n) : nlohmann::json();
  };
  const nlohmann::json out = {
      {"period", {{"from", audit::format_time(*from)}, {"to", audit::format_time(*to)}}},
      {"entries", summary->entries},
      {"first_index", optional_number(summary->first_index)},
      {"last_index", optional_number(summary->last_index)},
      {"by_type", summary->by_type},
      {"checkpoints_published", summary->checkpoints},
      {"last_checkpoint_size", optional_number(summary->last_checkpoint_size)},
      {"sequence_continuous", verified->sequence_continuous},
      {"checkpoint_chain_ok", verified->checkpoint_chain_ok},
      {"verification", audit::verify_json(*verified)},
  };
  if (opts.json) {
    ctx.out << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    ctx.out << "audit log completeness report " << out["period"]["from"].get<std::string>()
            << " .. " << out["period"]["to"].get<std::string>() << "\n"
            << "entries in the period: " << summary->entries << "\n";
    for (const auto& [type, count] : summary->by_type)
      ctx.out << "  " << type << ": " << count << "\n";
    ctx.out << "checkpoints published: " << summary->checkpoints << "\n"
            << "sequence continuous: " << (verified->sequence_continuous ? "yes" : "NO") << "\n"
            << "checkpoint chain: " << (verified->checkpoint_chain_ok ? "ok" : "BROKEN") << "\n"
            << "verification: " << (verified->ok ? "passed" : "FAILED") << "\n";
  }
  return verified->ok ? 0 : 1;
}

int run_purge(CommandContext& ctx, const AuditOptions& opts) {
  auto cutoff = audit::parse_time(opts.before.value_or(""));
  if (!cutoff) return report(ctx, Error{ErrorCode::kUsage, "--before: " + cutoff.error().message});
  auto session = open_audit(ctx, opts, true);
  if (!session) return report(ctx, session.error());
  auto purged = (*session)->log->purge_before(*cutoff, opts.actor.empty() ? "cli" : opts.actor);
  if (!purged) return report(ctx, purged.error());
  if (opts.json) {
    ctx.out << nlohmann::json{{"purged", purged->purged}, {"index", purged->event_index}}.dump()
            << "\n";
  } else {
    ctx.out << "purged the payloads of " << purged->purged << " entries; recorded as entry "
            << purged->event_index << "\n";
  }
  return 0;
}

CLI::App* add_audit_sub(CLI::App& parent, CommandContext& ctx,
                        const std::shared_ptr<AuditOptions>& opts, const std::string& name,
                        const std::string& help, int (*run)(CommandContext&, const AuditOptions&)) {
  auto* cmd = parent.add_subcommand(name, help);
  cmd->add_option("--config", opts->config_file, "TOML configuration file");
  cmd->add_option("--db", opts->db, "Database: sqlite:PATH or postgresql://...");
  cmd->callback([&ctx, opts, run] { ctx.exit_code = run(ctx, *opts); });
  return cmd;
}

}  // namespace

void add_audit_command(CLI::App& app, CommandContext& ctx) {
  auto* audit = app.add_subcommand(
      "audit", "The tamper-evident audit log: notes, export, proofs, checkpoints, verification");
  audit->require_subcommand(1);
  auto opts = std::make_shared<AuditOptions>();

  auto* note = add_audit_sub(*audit, ctx, opts, "note",
                             "Record an operator's note (a manual takedown, a regulator's "
                             "request); prints its index once durable",
                             run_note);
  note->add_option("--actor", opts->actor, "Who writes the note")->required();
  note->add_option("--text", opts->text, "The note");
  note->add_option("--from-file", opts->from_file,
                   "One note per line; prints each index, in the file's order, once durable");
  note->add_flag("--json", opts->json, "Print one JSON object");

  auto* exp = add_audit_sub(*audit, ctx, opts, "export",
                            "Entries as JSON lines with inclusion proofs against the latest "
                            "checkpoint, for a regulator",
                            run_export);
  exp->add_option("--from", opts->from_time, "First time (UTC, inclusive): 2026-01-01[T08:00:00Z]");
  exp->add_option("--to", opts->to_time, "Last time (UTC, exclusive)");
  exp->add_option("--type", opts->type, "Only this event type (e.g. moderation_decided)");
  exp->add_option("--user", opts->user_id, "Only entries about this user id");
  exp->add_option("--content-id", opts->content_id, "Only entries about this content id");
  exp->add_flag("--no-proofs", opts->no_proofs, "Leave out the inclusion proofs");
  exp->add_flag("--json-lines", opts->json_lines, "One JSON object per entry (required)");

  auto* proof = add_audit_sub(*audit, ctx, opts, "proof",
                              "Inclusion proof of one entry in a tree size", run_proof);
  proof->add_option("--index", opts->index, "Entry index")->required();
  proof->add_option("--size", opts->size, "Tree size (default: the latest checkpoint's)");
  proof->add_flag("--json", opts->json, "Print one JSON object");

  auto* cons = add_audit_sub(*audit, ctx, opts, "consistency",
                             "Consistency proof between two tree sizes", run_consistency);
  cons->add_option("--from", opts->first, "The older tree size")->required();
  cons->add_option("--to", opts->second, "The newer tree size")->required();
  cons->add_flag("--json", opts->json, "Print one JSON object");

  add_audit_sub(*audit, ctx, opts, "checkpoint",
                "Print a signed checkpoint (C2SP tlog-checkpoint signed note) of the whole "
                "log, publishing a new one first when the log grew since the latest",
                run_checkpoint);
  add_audit_sub(*audit, ctx, opts, "pubkey",
                "Print the checkpoint verifier key: <name>+<key hash hex>+<base64(0x01 || key)>",
                run_pubkey);

  auto* verify = add_audit_sub(*audit, ctx, opts, "verify",
                               "Recompute the whole tree and check every checkpoint; exit 1 if "
                               "anything does not verify",
                               run_verify);
  verify->add_option("--key", opts->key, "Verifier key to check checkpoints with (default: ours)");
  verify->add_flag("--json", opts->json, "Print one JSON object");

  auto* rep = add_audit_sub(*audit, ctx, opts, "report",
                            "Completeness report of a period (e.g. a quarter): entries by type, "
                            "index range, checkpoints, sequence continuity, verification",
                            run_report);
  rep->add_option("--from", opts->from_time, "First time (UTC, inclusive)")->required();
  rep->add_option("--to", opts->to_time, "End time (UTC, exclusive)")->required();
  rep->add_option("--key", opts->key, "Verifier key to check checkpoints with (default: ours)");
  rep->add_flag("--json", opts->json, "Print one JSON object");

  auto* purge = add_audit_sub(*audit, ctx, opts, "purge",
                              "Purge payloads older than --before (refused inside the retention "
                              "period); leaf hashes stay and the purge is logged",
                              run_purge);
  purge->add_option("--before", opts->before, "UTC time; entries before it lose their payload")
      ->required();
  purge->add_option("--actor", opts->actor, "Who purges (recorded)");
  purge->add_flag("--json", opts->json, "Print one JSON object");
}

}  // namespace synthgate::cli
