#include "core/config.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <limits>

#include <toml++/toml.h>

namespace synthgate {

namespace {

// A string list is written as a TOML array of strings, or as one comma-separated value
// in the environment or on the command line.
enum class ValueKind { kString, kInteger, kBoolean, kStringList };

struct KeySpec {
  std::string_view key;
  ValueKind kind;
  // Applies a value given as text; returns why it is refused.
  std::function<Result<void>(Config&, std::string_view)> apply;
};

Result<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t min, std::uint64_t max) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return fail(ErrorCode::kConfig, "expected a whole number, got \"" + std::string(text) + "\"");
  }
  if (value < min || value > max) {
    return fail(ErrorCode::kConfig, "expected a number from " + std::to_string(min) + " to " +
                                        std::to_string(max) + ", got " + std::string(text));
  }
  return value;
}

Result<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return fail(ErrorCode::kConfig, "expected true or false, got \"" + std::string(text) + "\"");
}

std::function<Result<void>(Config&, std::string_view)> unsigned_setter(
    std::uint64_t min, std::uint64_t max, std::function<void(Config&, std::uint64_t)> set) {
  return [min, max, set](Config& c, std::string_view v) -> Result<void> {
    auto n = parse_unsigned(v, min, max);
    if (!n) return tl::unexpected(n.error());
    set(c, *n);
    return {};
  };
}

// An http(s) URL or empty; trailing slashes are dropped.
std::function<Result<void>(Config&, std::string_view)> http_url_setter(
    std::string& (*member)(Config&)) {
  return [member](Config& c, std::string_view v) -> Result<void> {
    const bool scheme = v.starts_with("http://") || v.starts_with("https://");
    const auto host = v.substr(v.find("//") == std::string_view::npos ? 0 : v.find("//") + 2);
    if (!v.empty() && (!scheme || host.empty() || host.front() == '/')) {
      return fail(ErrorCode::kConfig,
                  "expected http(s)://HOST[:PORT][/PATH] (e.g. http://127.0.0.1:8081/v1) "
                  "or empty, got \"" +
                      std::string(v) + "\"");
    }
    std::string& url = member(c);
    url = std::string(v);
    while (url.ends_with('/')) url.pop_back();
    return {};
  };
}

// Printable ASCII without spaces: identifiers sent to outside services.
std::function<Result<void>(Config&, std::string_view)> token_setter(
    std::string& (*member)(Config&)) {
  return [member](Config& c, std::string_view v) -> Result<void> {
    for (char ch : v) {
      const auto u = static_cast<unsigned char>(ch);
      if (u < 0x21 || u >= 0x7f) {
        return fail(ErrorCode::kConfig, "expected printable ASCII without spaces");
      }
    }
    member(c) = std::string(v);
    return {};
  };
}

// Free text printed in filings: one line, so a report cannot be given extra lines by a value.
std::function<Result<void>(Config&, std::string_view)> compliance_text_setter(
    std::string ComplianceConfig::*field) {
  return [field](Config& c, std::string_view v) -> Result<void> {
    if (v.size() > 500 || v.find_first_of("\r\n") != std::string_view::npos) {
      return fail(ErrorCode::kConfig, "expected one line of at most 500 bytes");
    }
    c.compliance.*field = std::string(v);
    return {};
  };
}

const std::vector<KeySpec>& key_specs() {
  static const std::
      vector<KeySpec>
          specs =
              {
                  {"server.listen", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     auto addr = ListenAddress::parse(v);
                     if (!addr) return tl::unexpected(addr.error());
                     c.server.listen = *addr;
                     return {};
                   }},
                  {"server.max_body_bytes", ValueKind::kInteger,
                   unsigned_setter(
                       1024, std::uint64_t{1} << 34,
                       [](Config& c, std::uint64_t n) { c.server.max_body_bytes = n; })},
                  {"server.threads", ValueKind::kInteger,
                   unsigned_setter(0, 1024,
                                   [](Config& c, std::uint64_t n) {
                                     c.server.threads = static_cast<unsigned>(n);
                                   })},
                  {"server.shutdown_grace_seconds", ValueKind::kInteger,
                   unsigned_setter(0, 3600,
                                   [](Config& c, std::uint64_t n) {
                                     c.server.shutdown_grace_seconds = static_cast<unsigned>(n);
                                   })},
                  {"server.spool_dir", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v.empty())
                       return fail(ErrorCode::kConfig, "expected a directory, got an empty value");
                     c.server.spool_dir = std::string(v);
                     return {};
                   }},
                  {"pipeline.producer_code", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v.empty())
                       return fail(ErrorCode::kConfig, "expected the provider code, got nothing");
                     c.pipeline.producer_code = std::string(v);
                     return {};
                   }},
                  {"pipeline.ticket_lifetime_seconds", ValueKind::kInteger,
                   unsigned_setter(1, 7 * 86400,
                                   [](Config& c, std::uint64_t n) {
                                     c.pipeline.ticket_lifetime_seconds = static_cast<unsigned>(n);
                                   })},
                  {"pipeline.max_upload_bytes", ValueKind::kInteger,
                   unsigned_setter(
                       1024, std::uint64_t{1} << 40,
                       [](Config& c, std::uint64_t n) { c.pipeline.max_upload_bytes = n; })},
                  {"pipeline.text_label_position", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v != "start" && v != "end" && v != "both") {
                       return fail(ErrorCode::kConfig, "expected start, end or both");
                     }
                     c.pipeline.text_label_position = std::string(v);
                     return {};
                   }},
                  {"pipeline.workers", ValueKind::kInteger,
                   unsigned_setter(0, 1024,
                                   [](Config& c, std::uint64_t n) {
                                     c.pipeline.workers = static_cast<unsigned>(n);
                                   })},
                  {"moderation.blocklist", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     c.moderation.blocklist = std::string(v);
                     return {};
                   }},
                  {"moderation.classifier_url", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     // Plain HTTP only: the classifier client has no TLS (a local proxy does).
                     if (!v.empty() && (!v.starts_with("http://") || v.size() == 7 || v[7] == '/')) {
                       return fail(ErrorCode::kConfig,
                                   "expected http://HOST[:PORT][/PATH] or empty, got \"" +
                                       std::string(v) + "\"");
                     }
                     c.moderation.classifier_url = std::string(v);
                     return {};
                   }},
                  {"moderation.classifier_timeout_ms", ValueKind::kInteger,
                   unsigned_setter(1, 600000,
                                   [](Config& c, std::uint64_t n) {
                                     c.moderation.classifier_timeout_ms = static_cast<unsigned>(n);
                                   })},
                  {"moderation.classifier_token", ValueKind::kString,
                   token_setter(
                       [](Config& c) -> std::string& { return c.moderation.classifier_token; })},
                  {"moderation.classifier_categories", ValueKind::kStringList,
                   [](Config& c, std::string_view v) -> Result<void> {
                     // NAME:REVIEW_AT:BLOCK_AT[:open|review|block] each; serve checks the
                     // numbers and modes when it builds the policy.
                     std::vector<std::string> categories;
                     std::size_t begin = 0;
                     while (begin <= v.size() && !v.empty()) {
                       const auto comma = std::min(v.find(',', begin), v.size());
                       auto spec = v.substr(begin, comma - begin);
                       if (spec.find(':') == std::string_view::npos) {
                         return fail(ErrorCode::kConfig,
                                     "expected NAME:REVIEW_AT:BLOCK_AT[:open|review|block], got \"" +
                                         std::string(spec) + "\"");
                       }
                       categories.emplace_back(spec);
                       begin = comma + 1;
                     }
                     c.moderation.classifier_categories = std::move(categories);
                     return {};
                   }},
                  {"database.url", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (!v.starts_with("sqlite:") && !v.starts_with("postgresql://") &&
                         !v.starts_with("postgres://")) {
                       return fail(ErrorCode::kConfig,
                                   "expected sqlite:PATH or postgresql://..., got \"" +
                                       std::string(v) + "\"");
                     }
                     c.database.url = std::string(v);
                     return {};
                   }},
                  {"database.pool_size", ValueKind::kInteger,
                   unsigned_setter(1, 256,
                                   [](Config& c, std::uint64_t n) {
                                     c.database.pool_size = static_cast<unsigned>(n);
                                   })},
                  {"database.busy_timeout_ms", ValueKind::kInteger,
                   unsigned_setter(0, 600000,
                                   [](Config& c, std::uint64_t n) {
                                     c.database.busy_timeout_ms = static_cast<unsigned>(n);
                                   })},
                  {"keys.dir", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v.empty())
                       return fail(ErrorCode::kConfig, "expected a directory, got an empty value");
                     c.keys.dir = std::string(v);
                     return {};
                   }},
                  {"keys.generate_missing", ValueKind::kBoolean,
                   [](Config& c, std::string_view v) -> Result<void> {
                     auto b = parse_bool(v);
                     if (!b) return tl::unexpected(b.error());
                     c.keys.generate_missing = *b;
                     return {};
                   }},
                  {"audit.origin", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     // A signed-note key name: no spaces, no '+', no control characters.
                     bool ok = !v.empty() && v.size() <= 200;
                     for (char letter : v) {
                       const auto ch = static_cast<unsigned char>(letter);
                       ok = ok && ch > 0x20 && ch != '+' && ch != 0x7f;
                     }
                     if (!ok) {
                       return fail(ErrorCode::kConfig,
                                   "expected a name without spaces or '+' (e.g. "
                                   "example.com/audit), got \"" +
                                       std::string(v) + "\"");
                     }
                     c.audit.origin = std::string(v);
                     return {};
                   }},
                  {"audit.checkpoint_every_entries", ValueKind::kInteger,
                   unsigned_setter(
                       1, 1000000000,
                       [](Config& c, std::uint64_t n) { c.audit.checkpoint_every_entries = n; })},
                  {"audit.checkpoint_every_seconds", ValueKind::kInteger,
                   unsigned_setter(1, 86400,
                                   [](Config& c, std::uint64_t n) {
                                     c.audit.checkpoint_every_seconds = static_cast<unsigned>(n);
                                   })},
                  {"audit.retention_days", ValueKind::kInteger,
                   // The legal minimum (Labeling Measures Art. 9: six months) is the floor: a
                   // shorter period is a configuration error, not a silent correction.
                   unsigned_setter(kMinimumAuditRetentionDays, 36500,
                                   [](Config& c, std::uint64_t n) {
                                     c.audit.retention_days = static_cast<unsigned>(n);
                                   })},
                  {"audit.auditor_token_sha256", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     bool ok = v.empty() || v.size() == 64;
                     for (char ch : v)
                       ok = ok && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
                     if (!ok) {
                       return fail(
                           ErrorCode::kConfig,
                           "expected 64 lowercase hex digits (sha256sum of the token) or empty");
                     }
                     c.audit.auditor_token_sha256 = std::string(v);
                     return {};
                   }},
                  {"detection.max_upload_bytes", ValueKind::kInteger,
                   unsigned_setter(
                       1024, std::uint64_t{1} << 34,
                       [](Config& c, std::uint64_t n) { c.detection.max_upload_bytes = n; })},
                  {"detection.propagator", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     // GB 45438 Annex E: label values are printable ASCII without spaces.
                     for (char ch : v) {
                       if (ch < 0x21 || ch > 0x7e) {
                         return fail(
                             ErrorCode::kConfig,
                             "expected the platform's code (printable ASCII, no spaces), got \"" +
                                 std::string(v) + "\"");
                       }
                     }
                     c.detection.propagator = std::string(v);
                     return {};
                   }},
                  {"identity.code_lifetime_seconds", ValueKind::kInteger,
                   unsigned_setter(30, 3600,
                                   [](Config& c, std::uint64_t n) {
                                     c.identity.code_lifetime_seconds = static_cast<unsigned>(n);
                                   })},
                  {"identity.max_attempts", ValueKind::kInteger,
                   unsigned_setter(1, 20,
                                   [](Config& c, std::uint64_t n) {
                                     c.identity.max_attempts = static_cast<unsigned>(n);
                                   })},
                  {"complaints.attachments_dir", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v.empty()) return fail(ErrorCode::kConfig, "expected a directory");
                     c.complaints.attachments_dir = std::string(v);
                     return {};
                   }},
                  {"complaints.max_attachment_bytes", ValueKind::kInteger,
                   unsigned_setter(
                       1024, std::uint64_t{1} << 32,
                       [](Config& c, std::uint64_t n) { c.complaints.max_attachment_bytes = n; })},
                  {"complaints.per_address_per_hour", ValueKind::kInteger,
                   unsigned_setter(1, 1000000,
                                   [](Config& c, std::uint64_t n) {
                                     c.complaints.per_address_per_hour = static_cast<unsigned>(n);
                                   })},
                  {"complaints.global_per_hour", ValueKind::kInteger,
                   unsigned_setter(1, 100000000,
                                   [](Config& c, std::uint64_t n) {
                                     c.complaints.global_per_hour = static_cast<unsigned>(n);
                                   })},
                  {"complaints.duplicate_window_hours", ValueKind::kInteger,
                   unsigned_setter(0, 24 * 365,
                                   [](Config& c, std::uint64_t n) {
                                     c.complaints.duplicate_window_hours = static_cast<unsigned>(n);
                                   })},
                  {"complaints.limits", ValueKind::kStringList,
                   [](Config& c, std::string_view v) -> Result<void> {
                     std::vector<ComplaintLimit> limits;
                     std::size_t begin = 0;
                     while (begin < v.size()) {
                       const auto comma = std::min(v.find(',', begin), v.size());
                       const auto item = v.substr(begin, comma - begin);
                       begin = comma + 1;
                       const auto eq = item.find('=');
                       const auto slash = item.find('/');
                       const auto bad = [&] {
                         return fail(ErrorCode::kConfig,
                                     "expected \"category=ACK_HOURS/RESOLVE_DAYS\" (e.g. "
                                     "\"fraud=12/5\"), got \"" +
                                         std::string(item) + "\"");
                       };
                       if (eq == std::string_view::npos || slash == std::string_view::npos ||
                           slash < eq || eq == 0) {
                         return bad();
                       }
                       auto hours = parse_unsigned(item.substr(eq + 1, slash - eq - 1), 1, 24 * 90);
                       auto days = parse_unsigned(item.substr(slash + 1), 1, 365);
                       if (!hours || !days) return bad();
                       limits.push_back({std::string(item.substr(0, eq)),
                                         static_cast<unsigned>(*hours),
                                         static_cast<unsigned>(*days)});
                     }
                     if (limits.empty()) return fail(ErrorCode::kConfig, "expected limits");
                     c.complaints.limits = std::move(limits);
                     return {};
                   }},
                  {"complaints.webhook_url", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (!v.empty() && !v.starts_with("http://") && !v.starts_with("https://")) {
                       return fail(ErrorCode::kConfig,
                                   "expected http(s)://HOST[:PORT]/PATH or empty, got \"" +
                                       std::string(v) + "\"");
                     }
                     c.complaints.webhook_url = std::string(v);
                     return {};
                   }},
                  {"complaints.mail_outbox", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     c.complaints.mail_outbox = std::string(v);
                     return {};
                   }},
                  {"identity.under_18", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v != "allow" && v != "guardian_consent" && v != "refuse") {
                       return fail(ErrorCode::kConfig,
                                   "expected allow, guardian_consent or refuse, got \"" +
                                       std::string(v) + "\"");
                     }
                     c.identity.under_18 = std::string(v);
                     return {};
                   }},
                  {"identity.id_check_url", ValueKind::kString,
                   http_url_setter([](Config& c) -> std::string& { return c.identity.id_check_url; })},
                  {"identity.id_check_app_id", ValueKind::kString,
                   token_setter([](Config& c) -> std::string& { return c.identity.id_check_app_id; })},
                  {"identity.id_check_timeout_ms", ValueKind::kInteger,
                   unsigned_setter(100, 60000,
                                   [](Config& c, std::uint64_t n) {
                                     c.identity.id_check_timeout_ms = static_cast<unsigned>(n);
                                   })},
                  {"identity.id_check_retries", ValueKind::kInteger,
                   unsigned_setter(0, 10,
                                   [](Config& c, std::uint64_t n) {
                                     c.identity.id_check_retries = static_cast<unsigned>(n);
                                   })},
                  {"identity.national_token_url", ValueKind::kString,
                   http_url_setter(
                       [](Config& c) -> std::string& { return c.identity.national_token_url; })},
                  {"identity.national_token_app_id", ValueKind::kString,
                   token_setter(
                       [](Config& c) -> std::string& { return c.identity.national_token_app_id; })},
                  {"identity.national_token_timeout_ms", ValueKind::kInteger,
                   unsigned_setter(100, 60000,
                                   [](Config& c, std::uint64_t n) {
                                     c.identity.national_token_timeout_ms = static_cast<unsigned>(n);
                                   })},
                  {"identity.national_token_retries", ValueKind::kInteger,
                   unsigned_setter(0, 10,
                                   [](Config& c, std::uint64_t n) {
                                     c.identity.national_token_retries = static_cast<unsigned>(n);
                                   })},
                  {"proxy.upstream_url", ValueKind::kString,
                   http_url_setter([](Config& c) -> std::string& { return c.proxy.upstream_url; })},
                  {"proxy.timeout_seconds", ValueKind::kInteger,
                   unsigned_setter(1, 3600,
                                   [](Config& c, std::uint64_t n) {
                                     c.proxy.timeout_seconds = static_cast<unsigned>(n);
                                   })},
                  {"proxy.upstream_api_key", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     for (char ch : v) {
                       const auto u = static_cast<unsigned char>(ch);
                       if (u < 0x21 || u == 0x7f) {
                         return fail(ErrorCode::kConfig,
                                     "expected a key without spaces or control characters");
                       }
                     }
                     c.proxy.upstream_api_key = std::string(v);
                     return {};
                   }},
                  {"proxy.label_position", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v != "start" && v != "end" && v != "both") {
                       return fail(ErrorCode::kConfig,
                                   "expected start, end or both, got \"" + std::string(v) + "\"");
                     }
                     c.proxy.label_position = std::string(v);
                     return {};
                   }},
                  {"proxy.review_action", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v != "pass" && v != "block") {
                       return fail(ErrorCode::kConfig,
                                   "expected pass or block, got \"" + std::string(v) + "\"");
                     }
                     c.proxy.review_action = std::string(v);
                     return {};
                   }},
                  {"moderation.lexicons", ValueKind::kStringList,
                   [](Config& c, std::string_view v) -> Result<void> {
                     std::vector<std::string> paths;
                     std::size_t begin = 0;
                     while (begin <= v.size() && !v.empty()) {
                       const auto comma = std::min(v.find(',', begin), v.size());
                       auto path = v.substr(begin, comma - begin);
                       if (path.empty())
                         return fail(ErrorCode::kConfig,
                                     "expected lexicon paths, got an empty one");
                       paths.emplace_back(path);
                       begin = comma + 1;
                     }
                     c.moderation.lexicons = std::move(paths);
                     return {};
                   }},
                  {"log.level", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     static const char* levels[] = {"trace", "debug", "info",
                                                    "warn",  "error", "off"};
                     for (const char* level : levels) {
                       if (v == level) {
                         c.log.level = level;
                         return {};
                       }
                     }
                     return fail(ErrorCode::kConfig,
                                 "expected trace, debug, info, warn, error or off, got \"" +
                                     std::string(v) + "\"");
                   }},
                  {"log.format", ValueKind::kString,
                   [](Config& c, std::string_view v) -> Result<void> {
                     if (v == "text")
                       c.log.format = LogFormat::kText;
                     else if (v == "json")
                       c.log.format = LogFormat::kJson;
                     else
                       return fail(ErrorCode::kConfig,
                                   "expected text or json, got \"" + std::string(v) + "\"");
                     return {};
                   }},
                  {"compliance.registered_users_threshold", ValueKind::kInteger,
                   unsigned_setter(0, std::uint64_t{1} << 40,
                                   [](Config& c, std::uint64_t n) {
                                     c.compliance.registered_users_threshold = n;
                                   })},
                  {"compliance.verified_users_threshold", ValueKind::kInteger,
                   unsigned_setter(0, std::uint64_t{1} << 40,
                                   [](Config& c, std::uint64_t n) {
                                     c.compliance.verified_users_threshold = n;
                                   })},
                  {"compliance.daily_active_users_threshold", ValueKind::kInteger,
                   unsigned_setter(0, std::uint64_t{1} << 40,
                                   [](Config& c, std::uint64_t n) {
                                     c.compliance.daily_active_users_threshold = n;
                                   })},
                  {"compliance.monthly_active_users_threshold", ValueKind::kInteger,
                   unsigned_setter(0, std::uint64_t{1} << 40,
                                   [](Config& c, std::uint64_t n) {
                                     c.compliance.monthly_active_users_threshold = n;
                                   })},
                  {"compliance.generations_threshold", ValueKind::kInteger,
                   unsigned_setter(0, std::uint64_t{1} << 40,
                                   [](Config& c, std::uint64_t n) {
                                     c.compliance.generations_threshold = n;
                                   })},
                  {"compliance.algorithm_name", ValueKind::kString, compliance_text_setter(&ComplianceConfig::algorithm_name)},
                  {"compliance.algorithm_type", ValueKind::kString, compliance_text_setter(&ComplianceConfig::algorithm_type)},
                  {"compliance.complaint_channel", ValueKind::kString, compliance_text_setter(&ComplianceConfig::complaint_channel)},
              };
  return specs;
}

const KeySpec* find_spec(std::string_view key) {
  for (const auto& spec : key_specs()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

Error config_error(std::string_view key, std::string_view origin, const Error& why) {
  return Error{ErrorCode::kConfig, "configuration key " + std::string(key) + " (" +
                                       std::string(origin) + "): " + why.message};
}

Status apply(Config& config, std::string_view key, std::string_view value,
             std::string_view origin) {
  const KeySpec* spec = find_spec(key);
  if (spec == nullptr) {
    return tl::unexpected(
        Error{ErrorCode::kConfig,
              "unknown configuration key " + std::string(key) + " (" + std::string(origin) + ")"});
  }
  if (auto applied = spec->apply(config, value); !applied) {
    return tl::unexpected(config_error(key, origin, applied.error()));
  }
  return {};
}

// Turns a TOML scalar into the text form the setters take, checking its type first.
Result<std::string> toml_scalar_text(const toml::node& node, ValueKind kind) {
  switch (kind) {
    case ValueKind::kString:
      if (auto s = node.value<std::string>(); s && node.is_string()) return *s;
      return fail(ErrorCode::kConfig, "expected a string");
    case ValueKind::kInteger:
      if (node.is_integer()) {
        const auto n = node.value<std::int64_t>().value_or(-1);
        if (n < 0) return fail(ErrorCode::kConfig, "expected a number of 0 or more");
        return std::to_string(n);
      }
      return fail(ErrorCode::kConfig, "expected an integer");
    case ValueKind::kBoolean:
      if (node.is_boolean())
        return std::string(node.value<bool>().value_or(false) ? "true" : "false");
      return fail(ErrorCode::kConfig, "expected true or false");
    case ValueKind::kStringList: {
      const auto* array = node.as_array();
      if (array == nullptr) return fail(ErrorCode::kConfig, "expected an array of strings");
      std::string joined;
      for (const auto& item : *array) {
        auto s = item.value<std::string>();
        if (!s || !item.is_string())
          return fail(ErrorCode::kConfig, "expected an array of strings");
        if (s->find(',') != std::string::npos) {
          return fail(ErrorCode::kConfig, "a path with a comma is not supported: " + *s);
        }
        joined += (joined.empty() ? "" : ",") + *s;
      }
      return joined;
    }
  }
  return fail(ErrorCode::kConfig, "unsupported value");
}

Status apply_file(Config& config, const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return fail(ErrorCode::kConfig,
                "configuration file " + path.string() + ":" + std::to_string(where.line) + ":" +
                    std::to_string(where.column) + ": " + std::string(e.description()));
  }
  const std::string origin = "in " + path.string();
  for (const auto& [section_key, section] : root) {
    const std::string section_name(section_key.str());
    const auto* table = section.as_table();
    if (table == nullptr) {
      return fail(ErrorCode::kConfig,
                  "unknown configuration key " + section_name + " (" + origin + ")");
    }
    for (const auto& [key, node] : *table) {
      const std::string full = section_name + "." + std::string(key.str());
      const KeySpec* spec = find_spec(full);
      if (spec == nullptr) {
        return fail(ErrorCode::kConfig, "unknown configuration key " + full + " (" + origin + ")");
      }
      auto text = toml_scalar_text(node, spec->kind);
      if (!text) return tl::unexpected(config_error(full, origin, text.error()));
      if (auto applied = apply(config, full, *text, origin); !applied) return applied;
    }
  }
  return {};
}

}  // namespace

std::string ListenAddress::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> ListenAddress::parse(std::string_view text) {
  auto bad = [&] {
    return fail(ErrorCode::kConfig,
                "expected HOST:PORT (e.g. 127.0.0.1:8080), got \"" + std::string(text) + "\"");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string_view host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad();
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad();  // a bare IPv6 address needs brackets
  }
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '_';
    if (!ok) return bad();
  }
  auto port = parse_unsigned(text.substr(colon + 1), 0, 65535);
  if (!port) return bad();
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(*port)};
}

std::string environment_variable_for(std::string_view key) {
  std::string out = "SYNTHGATE_";
  for (char c : key) {
    out.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

std::vector<std::string> config_keys() {
  std::vector<std::string> keys;
  for (const auto& spec : key_specs()) keys.emplace_back(spec.key);
  return keys;
}

Result<Config> load_config(const ConfigSources& sources) {
  Config config;
  if (sources.file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*sources.file, ec)) {
      return fail(ErrorCode::kConfig, "configuration file " + sources.file->string() +
                                          " does not exist or is not a file");
    }
    if (auto applied = apply_file(config, *sources.file); !applied) {
      return tl::unexpected(applied.error());
    }
  }
  for (const auto& spec : key_specs()) {
    const std::string var = environment_variable_for(spec.key);
    if (auto it = sources.environment.find(var); it != sources.environment.end()) {
      if (auto applied = apply(config, spec.key, it->second, "from " + var); !applied) {
        return tl::unexpected(applied.error());
      }
    }
  }
  for (const auto& [key, value] : sources.flags) {
    if (auto applied = apply(config, key, value, "from the command line"); !applied) {
      return tl::unexpected(applied.error());
    }
  }
  return config;
}

}  // namespace synthgate
