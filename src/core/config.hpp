#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace synthgate {

enum class LogFormat { kText, kJson };

struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;

  std::string to_string() const;
  // "HOST:PORT", "[IPv6]:PORT"; port 0 asks the system for a free one.
  static Result<ListenAddress> parse(std::string_view text);
};

struct ServerConfig {
  ListenAddress listen;
  std::size_t max_body_bytes = 32u << 20;
  unsigned threads = 0;  // 0: 16 per core, at least 64 (a kept-alive connection holds one)
  unsigned shutdown_grace_seconds = 30;
  std::filesystem::path spool_dir = "var/spool";  // uploads stream to files here
};

struct DatabaseConfig {
  std::string url = "sqlite:var/synthgate.db";
  unsigned pool_size = 4;
  unsigned busy_timeout_ms = 5000;
};

struct KeysConfig {
  std::filesystem::path dir = "var/keys";
  bool generate_missing = true;  // development: make a key set on first run
};

// The audit log (src/audit). Retention cannot be configured below the legal minimum.
inline constexpr unsigned kMinimumAuditRetentionDays = 180;

struct AuditConfig {
  std::string origin = "synthgate.local/audit";  // checkpoint origin and signing key name
  std::uint64_t checkpoint_every_entries = 1000;
  unsigned checkpoint_every_seconds = 60;
  unsigned retention_days = kMinimumAuditRetentionDays;
  std::string auditor_token_sha256;  // hex SHA-256 of the bearer token; empty: route disabled
};

// Detection and platform-mode propagation (Labeling Measures Art. 6; docs/detection.md).
struct DetectionConfig {
  // Largest upload to /v1/detections and /v1/propagations (streamed to server.spool_dir).
  std::size_t max_upload_bytes = 32u << 20;
  std::string propagator;  // ContentPropagator written by /v1/propagations when none is given
};

// Real-name verification (src/identity, docs/identity.md): one-time codes, minors, and the
// outside services. Their request-signing secrets never sit in this file: each is read from
// $SYNTHGATE_ID_CHECK_SECRET / $SYNTHGATE_NATIONAL_TOKEN_SECRET or from keys.dir/id-check.secret
// / keys.dir/national-token.secret (hex).
struct IdentityConfig {
  unsigned code_lifetime_seconds = 300;
  unsigned max_attempts = 5;  // wrong codes before a verification is spent
  // 14 to 17: allow, guardian_consent or refuse (under 14 always needs a guardian, PIPL Art. 31).
  std::string under_18 = "allow";
  std::string id_check_url;  // identity-check service; empty: the id_check method is off
  std::string id_check_app_id;
  unsigned id_check_timeout_ms = 3000;
  unsigned id_check_retries = 2;
  std::string national_token_url;  // national identity token endpoint; empty: method off
  std::string national_token_app_id;
  unsigned national_token_timeout_ms = 3000;
  unsigned national_token_retries = 2;
};

// The OpenAI-compatible chat proxy (docs/chat-proxy.md).
struct ProxyConfig {
  // Base URL of the upstream API, the part before /chat/completions
  // ("http://127.0.0.1:8081/v1"); empty: the proxy routes answer 503.
  std::string upstream_url;
  unsigned timeout_seconds = 120;
  std::string upstream_api_key;          // sent as "Authorization: Bearer ..." when set
  std::string label_position = "start";  // start, end or both
  std::string review_action = "pass";    // pass (audited) or block
};

// Text moderation lexicons (TSV files, docs/moderation.md); none: personal data only.
struct ModerationConfig {
  std::vector<std::string> lexicons;
  std::filesystem::path blocklist;  // PDQ hashes (HASH_HEX [LABEL] per line); empty: none
  // The provider's classifier (docs/moderation.md "Classifier hook"); empty URL: none.
  std::string classifier_url;
  unsigned classifier_timeout_ms = 1000;
  std::string classifier_token;  // sent as Authorization: Bearer when set
  // NAME:REVIEW_AT:BLOCK_AT[:open|review|block]; empty: "*:0.5:0.9:open".
  std::vector<std::string> classifier_categories;
};

struct LogConfig {
  std::string level = "info";
  LogFormat format = LogFormat::kText;
};

// The gateway's pipeline (src/pipeline): admissions and output labelling.
struct PipelineConfig {
  // ContentProducer of every metadata label: the provider's 27-character code. The default is
  // a development name, which labels carry with a warning.
  std::string producer_code = "SynthGate-development";
  unsigned ticket_lifetime_seconds = 3600;
  std::size_t max_upload_bytes = std::size_t{512} << 20;
  std::string text_label_position = "start";  // start, end or both
  unsigned workers = 0;                       // engines at once; 0: one per core
};

// The compliance programme (docs/compliance.md): significant-influence thresholds, whose
// crossing makes the security assessment and algorithm filing due (0: not watched; the law
// gives no figure, so each provider sets its own on legal advice), and what the algorithm
// filing draft says about the service.
struct ComplianceConfig {
  std::uint64_t registered_users_threshold = 0;
  std::uint64_t verified_users_threshold = 0;
  std::uint64_t daily_active_users_threshold = 0;
  std::uint64_t monthly_active_users_threshold = 0;
  std::uint64_t generations_threshold = 0;
  std::string algorithm_name = "深度合成服务算法 Deep synthesis service algorithm";
  std::string algorithm_type = "生成合成类 Generation and synthesis";
  std::string complaint_channel;  // where users complain (URL, address); printed in filings
};

// One complaint category's time limits (Provisions Art. 12): acknowledge, then resolve.
struct ComplaintLimit {
  std::string category;
  unsigned acknowledge_hours = 24;
  unsigned resolve_days = 7;
  friend bool operator==(const ComplaintLimit&, const ComplaintLimit&) = default;
};

// The public complaint channel (docs/complaints.md).
struct ComplaintsConfig {
  // Attachments are kept here, outside every served path, and never answered.
  std::filesystem::path attachments_dir = "var/complaints";
  std::size_t max_attachment_bytes = std::size_t{20} << 20;
  unsigned per_address_per_hour = 10;    // intakes from one client address
  unsigned global_per_hour = 600;        // intakes from everyone together
  unsigned duplicate_window_hours = 72;  // the same file again is merged into the first
  // "category=ACK_HOURS/RESOLVE_DAYS"; a category not named uses "other".
  std::vector<ComplaintLimit> limits = {
      {"illegal_content", 2, 3}, {"minors", 2, 3},   {"impersonation", 12, 5},
      {"unlabelled_ai", 24, 7},  {"privacy", 24, 7}, {"intellectual_property", 48, 15},
      {"fraud", 12, 5},          {"other", 48, 15}};
  std::string webhook_url;  // POSTed a JSON event on intake and each transition; empty: none
  std::filesystem::path mail_outbox = "var/complaints-mail.txt";  // development e-mail sender
};

struct Config {
  ServerConfig server;
  PipelineConfig pipeline;
  ModerationConfig moderation;
  DatabaseConfig database;
  KeysConfig keys;
  AuditConfig audit;
  DetectionConfig detection;
  ProxyConfig proxy;
  ComplianceConfig compliance;
  IdentityConfig identity;
  ComplaintsConfig complaints;
  LogConfig log;
};

// Where configuration comes from, lowest precedence first: built-in defaults, the TOML
// file, SYNTHGATE_* environment variables (SYNTHGATE_SERVER_LISTEN for server.listen),
// then command-line flags.
struct ConfigSources {
  std::optional<std::filesystem::path> file;
  std::map<std::string, std::string> environment;  // whole environment; only SYNTHGATE_* read
  std::vector<std::pair<std::string, std::string>> flags;  // key, value (e.g. server.listen)
};

// Every error names the key, where its value came from, and why it was refused.
Result<Config> load_config(const ConfigSources& sources);

// The documented keys, for --help texts and the example file test.
std::vector<std::string> config_keys();

// The environment variable that overrides `key`: server.listen -> SYNTHGATE_SERVER_LISTEN.
std::string environment_variable_for(std::string_view key);

}  // namespace synthgate
