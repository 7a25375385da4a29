#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "core/secure_random.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace synthgate::identity {

// Key-encryption keys: the current one wraps new and re-wrapped keys; previous ones are only
// read (during a rotation, until rewrap() has moved every wrapped key to the current one).
struct VaultKeys {
  SecretBytes current;
  std::vector<SecretBytes> previous;
};

// The environment variable that, when set, holds the key-encryption key (64 hex digits)
// instead of the key file.
inline constexpr std::string_view kVaultKeyVariable = "SYNTHGATE_VAULT_KEY";

// The key-encryption key: $SYNTHGATE_VAULT_KEY when set, else the 32-byte key file
// (keys.dir/vault.key). Refuses anything but 32 bytes.
Result<SecretBytes> load_vault_key(const std::map<std::string, std::string>& environment,
                                   const SecretBytes& key_file_contents);
// Reads a 32-byte key file (a previous key-encryption key for rotation).
Result<SecretBytes> read_vault_key_file(const std::filesystem::path& path);

// Why plaintext is read; recorded in the personal_data_read audit event.
struct ReadReason {
  std::string actor;    // who reads: an operator, "system", an API key id
  std::string purpose;  // "send one-time code", "identity check", "operator lookup", ...
  std::optional<std::string> user_id;  // the user the data belongs to, when there is one
};

struct RewrapReport {
  std::size_t rewrapped = 0;  // wrapped keys moved to the current key-encryption key
  std::size_t current = 0;    // wrapped keys already under it
};

// Personal data (ID numbers, names, phone numbers, evidence documents) encrypted with
// AES-256-GCM. Envelope encryption: fields are sealed with a data key, which is stored
// wrapped by the key-encryption key, so rotating the latter re-wraps two small rows and
// no field. Exact lookups go through an HMAC-SHA256 blind index under a separate key.
// Plaintext is never logged; every plaintext read appends a personal_data_read audit event
// first and is refused when that append fails.
class PersonalDataVault {
 public:
  PersonalDataVault(store::Store& store, audit::AuditLog& audit, VaultKeys keys,
                    RandomSource& random);

  // Reads (or, on a new database, creates) the wrapped data and index keys. Call once
  // before use; it fails when the key-encryption key cannot open them.
  Status open();

  // Seals `plaintext` as field `field` of record `record_id` (replacing an earlier value),
  // inside the caller's transaction. With `indexed`, also stores its blind index.
  Status put(store::Session& session, std::string_view record_id, std::string_view field,
             ByteView plaintext, bool indexed);
  Status put(store::Session& session, std::string_view record_id, std::string_view field,
             std::string_view plaintext, bool indexed) {
    return put(session, record_id, field, as_bytes(plaintext), indexed);
  }
  // Whether the record has the field, without reading it.
  Result<bool> has(std::string_view record_id, std::string_view field);
  // The plaintext, after recording the read in the audit log.
  Result<Bytes> reveal(std::string_view record_id, std::string_view field,
                       const ReadReason& reason);
  Result<std::string> reveal_text(std::string_view record_id, std::string_view field,
                                  const ReadReason& reason);
  // Records whose indexed field equals `normalized_value` exactly.
  Result<std::vector<std::string>> find(std::string_view field, std::string_view normalized_value);
  Result<std::vector<std::string>> find(store::Session& session, std::string_view field,
                                        std::string_view normalized_value);
  // The blind index of a value (for tests and callers that store it themselves).
  Result<Bytes> blind_index(std::string_view field, std::string_view normalized_value);

  // Moves every wrapped key onto the current key-encryption key. Readers keep working
  // throughout: each row is re-wrapped on its own, and either key opens it meanwhile.
  Result<RewrapReport> rewrap();

  // The identifier of the current key-encryption key (a fingerprint, not the key).
  std::string current_key_id() const;

 private:
  Result<const SecretBytes*> vault_key(store::Session* session, const std::string& purpose);
  Result<SecretBytes> read_or_create_key(store::Session& session, const std::string& purpose);
  Result<Bytes> blind_index_in(store::Session* session, std::string_view field,
                               std::string_view normalized_value);
  const SecretBytes* cached(const std::string& purpose);
  const SecretBytes* remember(const std::string& purpose, SecretBytes key);
  Result<SecretBytes> unwrap(const std::string& id, const std::string& kek_id, ByteView wrapped);

  store::Store& store_;
  audit::AuditLog& audit_;
  VaultKeys keys_;
  RandomSource& random_;
  std::mutex mutex_;
  std::map<std::string, SecretBytes> unwrapped_;  // purpose -> key, once read
};

const store::MigrationSet& vault_migrations();

}  // namespace synthgate::identity
