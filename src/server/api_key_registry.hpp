#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/secure_random.hpp"
#include "server/principal.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace synthgate::server {

// How fast a key may call: a token bucket refilled at `per_second`, holding at most `burst`.
// `per_second` 0 means unlimited.
struct KeyRate {
  double per_second = 0;
  std::uint32_t burst = 0;
  bool unlimited() const { return per_second <= 0; }
};

// An API key as stored: never its secret, only the secret's SHA-256.
struct ApiKey {
  std::string id;  // 16 hex characters, the middle part of the token
  Role role = Role::kService;
  std::optional<std::string> user_id;  // the end user the key stands for (chat proxy)
  std::string name;
  KeyRate rate;
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> revoked_ms;
};

struct NewApiKey {
  Role role = Role::kService;
  std::optional<std::string> user_id;
  std::string name;
  KeyRate rate;
  std::string actor = "system";  // who creates it (audited)
};

// The one time a key's token exists in full: `sg_<id>_<secret>`.
struct CreatedKey {
  ApiKey key;
  std::string token;
};

// API keys with roles, stored in the api_keys table. Creating and revoking are audit events
// (configuration_changed). Lookups are cached in memory for `cache_ttl`; a revocation through
// this object takes effect at once, one made by another process (`synthgate keys revoke`)
// within the TTL.
class ApiKeyRegistry {
 public:
  ApiKeyRegistry(store::Store& store, audit::AuditLog& audit, const Clock& clock,
                 RandomSource& random,
                 std::chrono::milliseconds cache_ttl = std::chrono::seconds(10));

  Result<CreatedKey> create(const NewApiKey& key);
  // Every key, revoked ones included, oldest first.
  Result<std::vector<ApiKey>> list();
  Result<ApiKey> get(std::string_view key_id);
  Result<ApiKey> revoke(std::string_view key_id, std::string_view actor);
  // Whether no key was ever created (development bootstrap).
  Result<bool> none_yet();

  // The live key a token names, or kUnauthenticated (malformed, unknown, wrong secret,
  // revoked: the same answer, so a caller learns nothing about which).
  Result<ApiKey> authenticate(std::string_view token);

 private:
  struct Stored {
    ApiKey key;
    std::string secret_sha256;  // hex
    TimePoint fetched;
  };
  Result<std::optional<Stored>> read(std::string_view key_id);
  Status audit_change(std::string_view change, const ApiKey& key, std::string_view actor);

  store::Store& store_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  RandomSource& random_;
  std::chrono::milliseconds cache_ttl_;
  std::mutex cache_mutex_;
  std::map<std::string, Stored, std::less<>> cache_;
  std::uint64_t revocations_ = 0;  // under cache_mutex_
};

const store::MigrationSet& api_key_migrations();

}  // namespace synthgate::server
