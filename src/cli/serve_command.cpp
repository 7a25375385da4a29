#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include <fmt/ranges.h>
#include <unistd.h>

#include "audit/audit_log.hpp"
#include "cli/command.hpp"
#include "cli/compliance_samples.hpp"
#include "cli/development_keys.hpp"
#include "cli/runtime_setup.hpp"
#include "cli/serve_walkthrough.hpp"
#include "cli/shutdown_signal.hpp"
#include "cli/verification_providers.hpp"
#include "complaints/complaint_records.hpp"
#include "consent/consent_registry.hpp"
#include "core/build_info.hpp"
#include "core/ids.hpp"
#include "core/key_set.hpp"
#include "core/logging.hpp"
#include "governance/governance_records.hpp"
#include "identity/personal_data_vault.hpp"
#include "identity/user_registry.hpp"
#include "moderation/active_lexicon.hpp"
#include "moderation/character_tables.hpp"
#include "moderation/classifier_verdict.hpp"
#include "moderation/hash_blocklist.hpp"
#include "moderation/lexicon.hpp"
#include "pipeline/admission_desk.hpp"
#include "pipeline/blocklist_hashes.hpp"
#include "pipeline/output_desk.hpp"
#include "pipeline/pipeline_records.hpp"
#include "server/api_key_registry.hpp"
#include "server/audit_routes.hpp"
#include "server/chat_proxy.hpp"
#include "server/classifier_hook.hpp"
#include "server/complaint_notifier.hpp"
#include "server/complaint_routes.hpp"
#include "server/detection_routes.hpp"
#include "server/gateway_server.hpp"
#include "server/governance_routes.hpp"
#include "server/identity_routes.hpp"
#include "server/key_authenticator.hpp"
#include "server/pipeline_routes.hpp"
#include "server/system_routes.hpp"
#include "store/database_url.hpp"

namespace synthgate::cli {

namespace {

// The PDQ hashes of moderation.blocklist, when one is configured.
Result<std::vector<moderation::BlocklistEntry>> load_blocklist(const ModerationConfig& config) {
  if (config.blocklist.empty()) return std::vector<moderation::BlocklistEntry>();
  auto entries = moderation::read_blocklist_file(config.blocklist);
  if (!entries) return tl::unexpected(with_context(entries.error(), "moderation.blocklist"));
  return std::move(*entries);
}

// The classifier hook of moderation.classifier_*; null when no URL is configured.
Result<std::unique_ptr<server::ClassifierHook>> load_classifier(const ModerationConfig& config,
                                                                server::HttpMetrics& metrics) {
  if (config.classifier_url.empty()) return std::unique_ptr<server::ClassifierHook>();
  auto policy = moderation::parse_classifier_policy(config.classifier_categories);
  if (!policy) {
    return fail(ErrorCode::kConfig, "moderation.classifier_categories: " + policy.error().message);
  }
  auto classifier = server::HttpClassifier::create(
      {config.classifier_url, std::chrono::milliseconds(config.classifier_timeout_ms),
       config.classifier_token},
      std::move(*policy), &metrics);
  if (!classifier)
    return tl::unexpected(with_context(classifier.error(), "moderation.classifier_url"));
  return std::make_unique<server::ClassifierHook>(std::move(*classifier));
}

// The text moderator of moderation.lexicons; with none, personal data is still looked for.
Result<std::shared_ptr<const moderation::TextModerator>> load_text_moderator(
    const ModerationConfig& config) {
  auto tables = moderation::load_character_tables({});
  if (!tables) return tl::unexpected(tables.error());
  std::vector<moderation::Lexicon> lexicons;
  for (const auto& path : config.lexicons) {
    auto lexicon = moderation::read_lexicon_file(path);
    if (!lexicon) return tl::unexpected(lexicon.error());
    lexicons.push_back(std::move(*lexicon));
  }
  return moderation::TextModerator::build(*tables, moderation::merge_lexicons(lexicons), {});
}

struct ServeOptions {
  std::optional<std::string> config_file;
  std::optional<std::string> listen;
  std::optional<std::string> db;
  std::optional<std::string> log_format;
  std::optional<std::string> log_level;
};

int serve(CommandContext& ctx, const ServeOptions& opts) {
  std::vector<std::pair<std::string, std::string>> flags;
  if (opts.listen) flags.emplace_back("server.listen", *opts.listen);
  if (opts.db) flags.emplace_back("database.url", *opts.db);
  if (opts.log_format) flags.emplace_back("log.format", *opts.log_format);
  if (opts.log_level) flags.emplace_back("log.level", *opts.log_level);
  auto config = load_command_config(ctx, opts.config_file, std::move(flags));
  if (!config) return report(ctx, config.error());

  // Before any thread exists, so that every thread inherits the blocked signals.
  ShutdownSignal shutdown;
  Logger log = make_logger("synthgate", config->log);
  SystemClock clock;
  SecureRandom random;

  auto records = open_records(config->database, clock);
  if (!records) return report(ctx, records.error());
  store::Store& store = **records;

  auto keys = load_key_set(config->keys.dir, config->keys.generate_missing, random);
  if (!keys) return report(ctx, keys.error());
  if (!keys->generated.empty()) {
    log->warn(
        "generated development keys in {}: {} (for development only; production keys "
        "belong in a protected directory with keys.generate_missing = false)",
        config->keys.dir.string(), fmt::join(keys->generated, ", "));
  }

  audit::AuditLog audit_log(store, config->audit, clock, &keys->keys.audit_signing);

  // Real-name registration and consent (docs/identity.md). The vault's key-encryption key
  // is $SYNTHGATE_VAULT_KEY or keys.dir/vault.key; codes go to a development outbox file.
  auto vault_key = identity::load_vault_key(ctx.environment, keys->keys.vault);
  if (!vault_key) return report(ctx, vault_key.error());
  auto providers = make_verification_providers(*config, ctx.environment, *vault_key, random);
  if (!providers) return report(ctx, providers.error());
  identity::PersonalDataVault vault(store, audit_log, {std::move(*vault_key), {}}, random);
  if (auto opened = vault.open(); !opened) return report(ctx, opened.error());
  IdGenerator ids(clock, random);
  identity::UserRegistry users(store, audit_log, vault, clock, ids,
                               registry_options(config->identity));
  (*providers)->register_with(users);
  consent::ConsentRegistry consents(store, audit_log, vault, clock, ids);

  // Made before the engines: the classifier records its latency in the gateway's metrics.
  server::GatewayServer gateway(config->server, log);

  // Moderation engines, shared by the pipeline and the chat proxy.
  auto moderator = load_text_moderator(config->moderation);
  if (!moderator) return report(ctx, moderator.error());
  moderation::ActiveLexicon lexicon(*moderator);
  auto blocklist = load_blocklist(config->moderation);
  if (!blocklist) return report(ctx, blocklist.error());
  // The configured file plus what takedowns added (blocklist_hashes), swapped in live.
  moderation::ActiveBlocklist active_blocklist;
  pipeline::BlocklistHashes blocklist_hashes(store, active_blocklist, std::move(*blocklist));
  if (auto loaded = blocklist_hashes.refresh(); !loaded) return report(ctx, loaded.error());

  // The provider's classifier (moderation.classifier_url), when configured.
  auto classifier = load_classifier(config->moderation, gateway.metrics());
  if (!classifier) return report(ctx, classifier.error());
  const pipeline::TextClassifier* text_classifier = classifier->get();

  // The pipeline: admissions and outputs (docs/gateway.md).
  pipeline::PipelineRecords pipeline_records(store);
  const pipeline::ModerationEngines moderation_engines{&lexicon, &active_blocklist,
                                                       text_classifier};
  pipeline::AdmissionOptions admission_options;
  admission_options.ticket_lifetime =
      std::chrono::seconds(config->pipeline.ticket_lifetime_seconds);
  pipeline::AdmissionDesk admission_desk(pipeline_records, users, consents, moderation_engines,
                                         audit_log, clock, ids, admission_options);
  pipeline::OutputOptions output_options;
  output_options.plan.producer = config->pipeline.producer_code;
  output_options.text_position = config->pipeline.text_label_position;
  output_options.workers = config->pipeline.workers;
  pipeline::OutputDesk output_desk(pipeline_records, moderation_engines,
                                   {&keys->keys.watermark, &keys->keys.metadata_signing}, audit_log,
                                   clock, ids, output_options);
  // API keys with roles (docs/api-keys.md). In development the first start makes one key
  // per role; production keys come from `synthgate keys create`.
  server::ApiKeyRegistry api_keys(store, audit_log, clock, random);
  server::KeyAuthenticator authenticator(api_keys, clock, config->audit.auditor_token_sha256);

  gateway.set_authenticator([&authenticator](const httplib::Request& req,
                                             const server::RouteAccess& access,
                                             httplib::Headers& refusal_headers) {
    return authenticator.authenticate(req, access, refusal_headers);
  });
  server::add_system_routes(gateway, store);
  server::add_audit_routes(gateway, audit_log);
  server::add_identity_routes(gateway, users);
  server::add_consent_routes(gateway, consents);
  server::add_pipeline_routes(gateway, admission_desk, output_desk, pipeline_records, users,
                              {config->pipeline.max_upload_bytes, config->server.spool_dir});
  // Detection (public) and platform-mode propagation (docs/detection.md): the deployment's
  // metadata key verifies ReservedCode1 and signs ReservedCode2.
  server::add_detection_routes(
      gateway,
      {config->detection.max_upload_bytes, config->detection.propagator, config->server.spool_dir},
      {&keys->keys.metadata_signing, &keys->keys.watermark}, ids);

  // The compliance programme for the compliance_officer role (docs/compliance.md).
  governance::GovernanceRecords governance_records(store, audit_log, clock, ids);
  const Config& settings = *config;
  server::add_governance_routes(
      gateway, governance_records,
      {{static_cast<std::int64_t>(settings.compliance.registered_users_threshold),
        static_cast<std::int64_t>(settings.compliance.verified_users_threshold),
        static_cast<std::int64_t>(settings.compliance.daily_active_users_threshold),
        static_cast<std::int64_t>(settings.compliance.monthly_active_users_threshold),
        static_cast<std::int64_t>(settings.compliance.generations_threshold)},
       {settings.compliance.algorithm_name, settings.compliance.algorithm_type,
        settings.compliance.complaint_channel},
       [&settings] { return make_label_samples(settings); }});
  // Complaints and reports (docs/complaints.md, Provisions Art. 12): public intake, the staff
  // workflow and its time limits, notifications by webhook and (development) e-mail file.
  complaints::ComplaintRecords complaint_records(store, audit_log, vault, clock, ids, random);
  const complaints::ComplaintLimits complaint_limits(config->complaints.limits);
  server::ComplaintDesk complaint_desk(complaint_records, pipeline_records, blocklist_hashes, users,
                                       audit_log, clock);
  server::FileMailSender complaint_mail(config->complaints.mail_outbox);
  server::ComplaintMessenger complaint_messenger(config->complaints.webhook_url, &complaint_mail,
                                                 log);
  server::add_complaint_routes(
      gateway,
      {complaint_records, complaint_desk, pipeline_records, complaint_limits, clock,
       &keys->keys.metadata_signing, &keys->keys.watermark, &complaint_messenger},
      config->complaints);

  // The chat proxy (docs/chat-proxy.md).
  auto proxy_options = server::chat_proxy_options(config->proxy);
  if (!proxy_options) return report(ctx, proxy_options.error());
  server::add_chat_proxy_routes(gateway, {users, lexicon, audit_log, ids, log, text_classifier},
                                std::move(*proxy_options));
  auto port = gateway.bind();
  if (!port) return report(ctx, port.error());
  // After the bind, so that a start that cannot listen creates nothing.
  std::map<std::string, std::string> development_keys;
  const auto development_key_file = config->keys.dir / "dev-api-keys.txt";
  if (config->keys.generate_missing) {
    auto created = create_development_keys(api_keys, development_key_file);
    if (!created) return report(ctx, created.error());
    development_keys = std::move(*created);
    if (!development_keys.empty()) {
      log->warn("created development API keys, one per role, in {} (for development only)",
                development_key_file.string());
    } else if (auto none = api_keys.none_yet(); none && *none) {
      log->warn(
          "this database has no API key and {} holds another database's keys: remove it "
          "to create new development keys, or use synthgate keys create",
          development_key_file.string());
    }
  }

  ListenAddress bound = config->server.listen;
  bound.port = static_cast<std::uint16_t>(*port);
  ctx.out << "SynthGate " << build_version() << " listening on http://" << bound.to_string() << "\n"
          << "database: " << store.describe() << "\n"
          << "keys: " << config->keys.dir.string() << "\n";
  if (!development_keys.empty()) {
    ctx.out << "development API keys (all roles in " << development_key_file.string() << "):\n"
            << "  service: " << development_keys["service"] << "\n"
            << "  compliance_officer: " << development_keys["compliance_officer"] << "\n";
  } else if (std::error_code ec; std::filesystem::exists(development_key_file, ec)) {
    ctx.out << "development API keys: " << development_key_file.string() << "\n";
  }
  ctx.out << "try: curl http://" << bound.to_string() << "/healthz\n"
          << "stop with Ctrl-C" << std::endl;
  if (std::error_code ec;
      config->keys.generate_missing && std::filesystem::exists(development_key_file, ec)) {
    // Development: show a newcomer the whole flow with the development service key.
    ctx.out << "\n"
            << walkthrough(
                   {"http://" + bound.to_string(), development_key_file, (*providers)->outbox_path})
            << std::flush;
  }
  log->info("listening on {} with database {}", bound.to_string(), store.describe());
  if (config->proxy.upstream_url.empty()) {
    log->info("proxy.upstream_url is not set: the chat proxy routes answer 503");
  }

  // A checkpoint at least every audit.checkpoint_every_seconds while entries arrive, even
  // when too few arrive to reach checkpoint_every_entries.
  std::mutex checkpointer_mutex;
  std::condition_variable checkpointer_wake;
  bool checkpointer_stop = false;
  std::thread checkpointer([&] {
    std::unique_lock lock(checkpointer_mutex);
    const auto period = std::chrono::seconds(config->audit.checkpoint_every_seconds);
    while (!checkpointer_wake.wait_for(lock, period, [&] { return checkpointer_stop; })) {
      lock.unlock();
      if (auto due = audit_log.checkpoint_if_due(); !due) {
        log->warn("audit checkpoint: {}", due.error().message);
      }
      // The same beat escalates complaints past their time limits and picks up hashes that
      // another gateway process took down.
      if (auto escalated = complaint_records.escalate_overdue(complaint_limits); !escalated) {
        log->warn("complaint escalation: {}", escalated.error().message);
      } else if (!escalated->empty()) {
        log->warn("{} complaint(s) escalated past their time limits", escalated->size());
      }
      if (auto refreshed = blocklist_hashes.refresh(); !refreshed) {
        log->warn("blocklist refresh: {}", refreshed.error().message);
      }
      lock.lock();
    }
  });
  const auto stop_checkpointer = [&] {
    {
      std::lock_guard lock(checkpointer_mutex);
      checkpointer_stop = true;
    }
    checkpointer_wake.notify_all();
    checkpointer.join();
  };

  std::atomic<bool> stopping{false};
  auto serving = std::async(std::launch::async, [&] {
    Status ran = gateway.run();
    // A server that ends without being asked wakes the signal wait below.
    if (!stopping) ::kill(::getpid(), SIGTERM);
    return ran;
  });
  const int signal = shutdown.wait();
  stopping = true;
  log->info("received signal {}; finishing requests in flight", signal);
  gateway.stop();
  const auto grace = std::chrono::seconds(config->server.shutdown_grace_seconds);
  if (serving.wait_for(grace) == std::future_status::timeout) {
    log->error("requests still running {} s after the stop; exiting without them", grace.count());
    std::_Exit(1);
  }
  Status result = serving.get();
  stop_checkpointer();
  log->info("stopped");
  return result ? 0 : report(ctx, result.error());
}

}  // namespace

void add_serve_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "serve",
      "Run the HTTP gateway until SIGINT or SIGTERM. Configuration: --config FILE (or "
      "$SYNTHGATE_CONFIG, or ./synthgate.toml), then SYNTHGATE_* variables, then these flags.");
  auto opts = std::make_shared<ServeOptions>();
  cmd->add_option("--config", opts->config_file,
                  "TOML configuration file (see config/synthgate.example.toml)");
  cmd->add_option("--listen", opts->listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  cmd->add_option("--db", opts->db,
                  "Database: sqlite:PATH (default sqlite:var/synthgate.db) or postgresql://...");
  cmd->add_option("--log-format", opts->log_format, "text or json (JSON lines on stderr)");
  cmd->add_option("--log-level", opts->log_level, "trace, debug, info, warn, error or off");
  cmd->callback([&ctx, opts] { ctx.exit_code = serve(ctx, *opts); });
}

}  // namespace synthgate::cli
