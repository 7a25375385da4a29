#include "server/api_key_registry.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/digest.hpp"
#include "core/encoding.hpp"

namespace synthgate::server {

namespace {

constexpr std::string_view kSql = R"sql(
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  secret_sha256 TEXT NOT NULL,
  role TEXT NOT NULL,
  user_id TEXT,
  name TEXT NOT NULL,
  rate_millis BIGINT NOT NULL,
  burst BIGINT NOT NULL,
  created_ms BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_ms BIGINT,
  revoked_by TEXT
);
)sql";

constexpr std::string_view kColumns =
    "id, secret_sha256, role, user_id, name, rate_millis, burst, created_ms, revoked_ms";

constexpr std::size_t kIdBytes = 8;
constexpr std::size_t kSecretBytes = 32;
constexpr std::string_view kPrefix = "sg_";

bool is_lower_hex(std::string_view s, std::size_t size) {
  return s.size() == size && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

bool is_token(std::string_view s) {
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == ':' || c == '@';
  });
}

// The secret has 256 random bits, so nobody can guess it from its digest: one fast SHA-256
// is the right hash. Slow password hashes (Argon2, bcrypt) defend low-entropy human
// passwords and would only add their cost to every request.
std::string secret_digest(std::string_view secret) {
  return hex_encode(sha256(as_bytes(secret)));
}

Error unauthenticated() {
  return Error{ErrorCode::kUnauthenticated, "this API key is unknown or revoked"};
}

}  // namespace

ApiKeyRegistry::ApiKeyRegistry(store::Store& store, audit::AuditLog& audit, const Clock& clock,
                               RandomSource& random, std::chrono::milliseconds cache_ttl)
    : store_(store), audit_(audit), clock_(clock), random_(random), cache_ttl_(cache_ttl) {}

Status ApiKeyRegistry::audit_change(std::string_view change, const ApiKey& key,
                                    std::string_view actor) {
  audit::AuditEvent event;
  event.type = audit::EventType::kConfigurationChanged;
  event.actor = actor.empty() ? "system" : std::string(actor);
  event.user_id = key.user_id;
  event.subjects = {{"api_key", key.id}};
  event.details = {{"change", std::string(change)}, {"role", std::string(role_name(key.role))}};
  if (!key.name.empty()) event.details["name"] = key.name;
  auto appended = audit_.append(std::move(event));
  if (!appended) {
    return tl::unexpected(with_context(appended.error(), "the change was saved but not audited"));
  }
  return {};
}

Result<CreatedKey> ApiKeyRegistry::create(const NewApiKey& in) {
  std::vector<std::string> problems;
  if (in.role == Role::kPublic) problems.push_back("role: public routes need no key");
  if (in.name.size() > 200) problems.push_back("name: at most 200 bytes");
  if (in.user_id && !is_token(*in.user_id)) problems.push_back("user_id: not an id");
  if (!std::isfinite(in.rate.per_second) || in.rate.per_second < 0 || in.rate.per_second > 1e6) {
    problems.push_back("rate: 0 (unlimited) to 1000000 requests per second");
  }
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "; ") + p;
    return fail(ErrorCode::kInvalidArgument, message);
  }
  CreatedKey out;
  ApiKey& key = out.key;
  key.id = hex_encode(random_.bytes(kIdBytes));
  key.role = in.role;
  key.user_id = in.user_id;
  key.name = in.name;
  key.rate = in.rate;
  // A bucket must hold at least one request, else a limited key could never call.
  if (!key.rate.unlimited() && key.rate.burst == 0) {
    key.rate.burst = static_cast<std::uint32_t>(std::max(1.0, std::ceil(key.rate.per_second)));
  }
  if (key.rate.unlimited()) key.rate.burst = 0;
  key.created_ms = unix_millis(clock_.now());
  const std::string secret = hex_encode(random_.bytes(kSecretBytes));
  out.token = std::string(kPrefix) + key.id + "_" + secret;

  store::Value user = store::Null{};
  if (key.user_id) user = *key.user_id;
  auto inserted = store_.execute(
      "INSERT INTO api_keys (id, secret_sha256, role, user_id, name, rate_millis, burst, "
      "created_ms, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {key.id, secret_digest(secret), std::string(role_name(key.role)), user, key.name,
       static_cast<std::int64_t>(std::llround(key.rate.per_second * 1000)),
       static_cast<std::int64_t>(key.rate.burst), key.created_ms,
       in.actor.empty() ? std::string("system") : in.actor});
  if (!inserted) return tl::unexpected(inserted.error());
  if (auto a = audit_change("api_key_created", key, in.actor); !a) {
    return tl::unexpected(a.error());
  }
  return out;
}

Result<std::optional<ApiKeyRegistry::Stored>> ApiKeyRegistry::read(std::string_view key_id) {
  auto rows = store_.query("SELECT " + std::string(kColumns) + " FROM api_keys WHERE id = ?",
                           {std::string(key_id)});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return std::optional<Stored>();
  const auto& row = rows->rows[0];
  Stored s;
  s.key.id = *row.text(0);
  s.secret_sha256 = *row.text(1);
  auto role = parse_role(row.text(2).value_or(""));
  if (!role) return fail(ErrorCode::kInternal, "api key " + s.key.id + " has an unknown role");
  s.key.role = *role;
  if (!row.is_null(3)) s.key.user_id = *row.text(3);
  s.key.name = row.text(4).value_or("");
  s.key.rate.per_second = static_cast<double>(row.integer(5).value_or(0)) / 1000.0;
  s.key.rate.burst = static_cast<std::uint32_t>(row.integer(6).value_or(0));
  s.key.created_ms = row.integer(7).value_or(0);
  if (!row.is_null(8)) s.key.revoked_ms = row.integer(8).value_or(0);
  s.fetched = clock_.now();
  return std::optional<Stored>(std::move(s));
}

Result<std::vector<ApiKey>> ApiKeyRegistry::list() {
  auto rows = store_.query("SELECT id FROM api_keys ORDER BY created_ms, id");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<ApiKey> out;
  for (const auto& row : rows->rows) {
    auto key = get(*row.text(0));
    if (!key) return tl::unexpected(key.error());
    out.push_back(std::move(*key));
  }
  return out;
}

Result<ApiKey> ApiKeyRegistry::get(std::string_view key_id) {
  auto stored = read(key_id);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return fail(ErrorCode::kNotFound, "no API key " + std::string(key_id));
  return (*stored)->key;
}

Result<bool> ApiKeyRegistry::none_yet() {
  auto rows = store_.query("SELECT COUNT(*) FROM api_keys");
  if (!rows) return tl::unexpected(rows.error());
  return rows->rows.at(0).integer(0).value_or(0) == 0;
}

Result<ApiKey> ApiKeyRegistry::revoke(std::string_view key_id, std::string_view actor) {
  const std::string by = actor.empty() ? std::string("system") : std::string(actor);
  Status saved = store_.transact([&](store::Session& session) -> Status {
    auto changed = session.execute(
        "UPDATE api_keys SET revoked_ms = ?, revoked_by = ? WHERE id = ? AND revoked_ms IS NULL",
        {unix_millis(clock_.now()), by, std::string(key_id)});
    if (!changed) return tl::unexpected(changed.error());
    if (*changed == 1) return {};
    auto exists = session.query("SELECT 1 FROM api_keys WHERE id = ?", {std::string(key_id)});
    if (!exists) return tl::unexpected(exists.error());
    if (exists->empty()) return fail(ErrorCode::kNotFound, "no API key " + std::string(key_id));
    return fail(ErrorCode::kFailedPrecondition, "the API key is already revoked");
  });
  {
    // Dropped even when the update failed: the next request reads the table again.
    std::lock_guard lock(cache_mutex_);
    if (auto it = cache_.find(key_id); it != cache_.end()) cache_.erase(it);
    ++revocations_;
  }
  if (!saved) return tl::unexpected(saved.error());
  auto key = get(key_id);
  if (!key) return tl::unexpected(key.error());
  if (auto a = audit_change("api_key_revoked", *key, by); !a) return tl::unexpected(a.error());
  return key;
}

Result<ApiKey> ApiKeyRegistry::authenticate(std::string_view token) {
  if (!token.starts_with(kPrefix)) return tl::unexpected(unauthenticated());
  token.remove_prefix(kPrefix.size());
  const auto underscore = token.find('_');
  if (underscore == std::string_view::npos) return tl::unexpected(unauthenticated());
  const std::string_view id = token.substr(0, underscore);
  const std::string_view secret = token.substr(underscore + 1);
  if (!is_lower_hex(id, kIdBytes * 2) || !is_lower_hex(secret, kSecretBytes * 2)) {
    return tl::unexpected(unauthenticated());
  }

  std::optional<Stored> stored;
  std::uint64_t revocations_seen = 0;
  {
    std::lock_guard lock(cache_mutex_);
    revocations_seen = revocations_;
    if (auto it = cache_.find(id);
        it != cache_.end() && clock_.now() - it->second.fetched < cache_ttl_) {
      stored = it->second;
    }
  }
  if (!stored) {
    auto read_now = read(id);
    if (!read_now) return tl::unexpected(read_now.error());
    if (!*read_now) return tl::unexpected(unauthenticated());
    stored = std::move(*read_now);
    // A row read before a concurrent revoke() may already be stale: cache it only when no
    // revocation happened meanwhile.
    std::lock_guard lock(cache_mutex_);
    if (revocations_ == revocations_seen) cache_.insert_or_assign(std::string(id), *stored);
  }
  const std::string digest = secret_digest(secret);
  if (!constant_time_equal(as_bytes(digest), as_bytes(stored->secret_sha256)) ||
      stored->key.revoked_ms) {
    return tl::unexpected(unauthenticated());
  }
  return stored->key;
}

const store::MigrationSet& api_key_migrations() {
  static const store::MigrationSet set{"api_keys", {{1, "api keys with roles", kSql, {}}}};
  return set;
}

}  // namespace synthgate::server
