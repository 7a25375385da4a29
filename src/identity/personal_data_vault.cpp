#include "identity/personal_data_vault.hpp"

#include "core/aead.hpp"
#include "core/digest.hpp"
#include "core/file_io.hpp"

namespace synthgate::identity {

namespace {

constexpr std::string_view kSqlite = R"sql(
CREATE TABLE vault_keys (
  purpose TEXT PRIMARY KEY,
  kek_id TEXT NOT NULL,
  wrapped BLOB NOT NULL
);
CREATE TABLE vault_fields (
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  box BLOB NOT NULL,
  blind_index BLOB,
  PRIMARY KEY (record_id, field)
);
CREATE INDEX vault_fields_lookup ON vault_fields (field, blind_index);
)sql";

constexpr std::string_view kPostgresql = R"sql(
CREATE TABLE vault_keys (
  purpose TEXT PRIMARY KEY,
  kek_id TEXT NOT NULL,
  wrapped BYTEA NOT NULL
);
CREATE TABLE vault_fields (
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  box BYTEA NOT NULL,
  blind_index BYTEA,
  PRIMARY KEY (record_id, field)
);
CREATE INDEX vault_fields_lookup ON vault_fields (field, blind_index);
)sql";

std::string key_id(const SecretBytes& kek) {
  Bytes input(as_bytes(std::string_view("synthgate vault kek\n")).begin(),
              as_bytes(std::string_view("synthgate vault kek\n")).end());
  input.insert(input.end(), kek.view().begin(), kek.view().end());
  const auto digest = sha256(input);
  return hex_encode(ByteView(digest).subspan(0, 8));
}

Bytes wrap_context(std::string_view purpose) {
  const std::string text = "synthgate vault key " + std::string(purpose);
  return Bytes(text.begin(), text.end());
}

Bytes field_context(std::string_view record_id, std::string_view field) {
  std::string text = "synthgate vault field ";
  text += record_id;
  text.push_back('\0');
  text += field;
  return Bytes(text.begin(), text.end());
}

}  // namespace

Result<SecretBytes> load_vault_key(const std::map<std::string, std::string>& environment,
                                   const SecretBytes& key_file_contents) {
  if (auto it = environment.find(std::string(kVaultKeyVariable)); it != environment.end()) {
    auto bytes = hex_decode(it->second);
    if (!bytes || bytes->size() != Aes256Gcm::kKeySize) {
      return fail(ErrorCode::kConfig,
                  std::string(kVaultKeyVariable) + " must be 64 hexadecimal digits (32 bytes)");
    }
    return SecretBytes(std::move(*bytes));
  }
  if (key_file_contents.size() != Aes256Gcm::kKeySize) {
    return fail(ErrorCode::kConfig, "the vault key file must hold exactly 32 bytes");
  }
  return key_file_contents;
}

Result<SecretBytes> read_vault_key_file(const std::filesystem::path& path) {
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  if (bytes->size() != Aes256Gcm::kKeySize) {
    return fail(ErrorCode::kInvalidArgument, path.string() + ": a vault key has 32 bytes");
  }
  return SecretBytes(std::move(*bytes));
}

PersonalDataVault::PersonalDataVault(store::Store& store, audit::AuditLog& audit, VaultKeys keys,
                                     RandomSource& random)
    : store_(store), audit_(audit), keys_(std::move(keys)), random_(random) {}

std::string PersonalDataVault::current_key_id() const {
  return key_id(keys_.current);
}

Result<SecretBytes> PersonalDataVault::unwrap(const std::string& purpose, const std::string& kek_id,
                                              ByteView wrapped) {
  const SecretBytes* kek = nullptr;
  if (kek_id == key_id(keys_.current)) kek = &keys_.current;
  for (const auto& previous : keys_.previous) {
    if (kek == nullptr && kek_id == key_id(previous)) kek = &previous;
  }
  if (kek == nullptr) {
    return fail(ErrorCode::kFailedPrecondition,
                "the vault's " + purpose + " key is wrapped under key-encryption key " + kek_id +
                    ", which is not loaded (give the previous key to finish a rotation)");
  }
  auto cipher = Aes256Gcm::with_key(*kek);
  if (!cipher) return tl::unexpected(cipher.error());
  auto plain = cipher->open(wrapped, wrap_context(purpose));
  if (!plain) {
    return fail(ErrorCode::kFailedPrecondition, "the vault's " + purpose + " key does not open");
  }
  return SecretBytes(std::move(*plain));
}

Result<SecretBytes> PersonalDataVault::read_or_create_key(store::Session& session,
                                                          const std::string& purpose) {
  auto rows = session.query("SELECT kek_id, wrapped FROM vault_keys WHERE purpose = ?", {purpose});
  if (!rows) return tl::unexpected(rows.error());
  if (!rows->empty()) {
    auto kek_id = rows->rows[0].text(0);
    auto wrapped = rows->rows[0].blob(1);
    if (!kek_id || !wrapped) return fail(ErrorCode::kInternal, "vault_keys row is malformed");
    return unwrap(purpose, *kek_id, *wrapped);
  }
  SecretBytes fresh(random_.bytes(Aes256Gcm::kKeySize));
  auto cipher = Aes256Gcm::with_key(keys_.current);
  if (!cipher) return tl::unexpected(cipher.error());
  const Bytes wrapped = cipher->seal(fresh.view(), wrap_context(purpose), random_);
  auto inserted =
      session.execute("INSERT INTO vault_keys (purpose, kek_id, wrapped) VALUES (?, ?, ?)",
                      {purpose, key_id(keys_.current), wrapped});
  if (!inserted) return tl::unexpected(inserted.error());
  return fresh;
}

const SecretBytes* PersonalDataVault::cached(const std::string& purpose) {
  std::lock_guard lock(mutex_);
  auto it = unwrapped_.find(purpose);
  return it == unwrapped_.end() ? nullptr : &it->second;
}

const SecretBytes* PersonalDataVault::remember(const std::string& purpose, SecretBytes key) {
  std::lock_guard lock(mutex_);
  // std::map never moves its elements, so the pointer stays valid for the vault's life.
  auto [it, _] = unwrapped_.emplace(purpose, std::move(key));
  return &it->second;
}

Result<const SecretBytes*> PersonalDataVault::vault_key(store::Session* session,
                                                        const std::string& purpose) {
  if (const SecretBytes* key = cached(purpose)) return key;
  std::optional<SecretBytes> key;
  if (session != nullptr) {
    auto got = read_or_create_key(*session, purpose);
    if (!got) return tl::unexpected(got.error());
    key = std::move(*got);
  } else {
    Status done = store_.transact([&](store::Session& s) -> Status {
      auto got = read_or_create_key(s, purpose);
      if (!got) return tl::unexpected(got.error());
      key = std::move(*got);
      return {};
    });
    if (!done && done.error().code == ErrorCode::kAlreadyExists) {
      // Another process created the key first: read theirs.
      done = store_.transact([&](store::Session& s) -> Status {
        auto got = read_or_create_key(s, purpose);
        if (!got) return tl::unexpected(got.error());
        key = std::move(*got);
        return {};
      });
    }
    if (!done) return tl::unexpected(done.error());
  }
  return remember(purpose, std::move(*key));
}

Status PersonalDataVault::open() {
  auto data = vault_key(nullptr, "data");
  if (!data) return tl::unexpected(data.error());
  auto index = vault_key(nullptr, "index");
  if (!index) return tl::unexpected(index.error());
  return {};
}

Result<Bytes> PersonalDataVault::blind_index(std::string_view field,
                                             std::string_view normalized_value) {
  return blind_index_in(nullptr, field, normalized_value);
}

Result<Bytes> PersonalDataVault::blind_index_in(store::Session* session, std::string_view field,
                                                std::string_view normalized_value) {
  auto key = vault_key(session, "index");
  if (!key) return tl::unexpected(key.error());
  std::string input(field);
  input.push_back('\0');
  input += normalized_value;
  const auto mac = hmac_sha256(**key, as_bytes(input));
  return Bytes(mac.begin(), mac.end());
}

Status PersonalDataVault::put(store::Session& session, std::string_view record_id,
                              std::string_view field, ByteView plaintext, bool indexed) {
  auto key = vault_key(&session, "data");
  if (!key) return tl::unexpected(key.error());
  auto cipher = Aes256Gcm::with_key(**key);
  if (!cipher) return tl::unexpected(cipher.error());
  const Bytes box = cipher->seal(plaintext, field_context(record_id, field), random_);
  store::Value index = store::Null{};
  if (indexed) {
    auto mac = blind_index_in(&session, field, as_chars(plaintext));
    if (!mac) return tl::unexpected(mac.error());
    index = std::move(*mac);
  }
  auto removed = session.execute("DELETE FROM vault_fields WHERE record_id = ? AND field = ?",
                                 {std::string(record_id), std::string(field)});
  if (!removed) return tl::unexpected(removed.error());
  auto inserted = session.execute(
      "INSERT INTO vault_fields (record_id, field, box, blind_index) VALUES (?, ?, ?, ?)",
      {std::string(record_id), std::string(field), box, index});
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

Result<bool> PersonalDataVault::has(std::string_view record_id, std::string_view field) {
  auto rows = store_.query("SELECT 1 FROM vault_fields WHERE record_id = ? AND field = ?",
                           {std::string(record_id), std::string(field)});
  if (!rows) return tl::unexpected(rows.error());
  return !rows->empty();
}

Result<Bytes> PersonalDataVault::reveal(std::string_view record_id, std::string_view field,
                                        const ReadReason& reason) {
  auto rows = store_.query("SELECT box FROM vault_fields WHERE record_id = ? AND field = ?",
                           {std::string(record_id), std::string(field)});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) {
    return fail(ErrorCode::kNotFound,
                "no " + std::string(field) + " stored for " + std::string(record_id));
  }
  auto box = rows->rows[0].blob(0);
  if (!box) return tl::unexpected(box.error());
  auto key = vault_key(nullptr, "data");
  if (!key) return tl::unexpected(key.error());
  auto cipher = Aes256Gcm::with_key(**key);
  if (!cipher) return tl::unexpected(cipher.error());
  auto plain = cipher->open(*box, field_context(record_id, field));
  if (!plain) {
    return fail(ErrorCode::kInternal,
                "the stored " + std::string(field) + " does not open (altered or moved)");
  }
  audit::AuditEvent event;
  event.type = audit::EventType::kPersonalDataRead;
  event.actor = reason.actor.empty() ? "system" : reason.actor;
  event.user_id = reason.user_id;
  event.subjects["record"] = std::string(record_id);
  event.details["field"] = std::string(field);
  event.details["purpose"] = reason.purpose;
  auto recorded = audit_.append(std::move(event));
  if (!recorded) {
    return tl::unexpected(with_context(recorded.error(), "personal data read not recorded"));
  }
  return std::move(*plain);
}

Result<std::string> PersonalDataVault::reveal_text(std::string_view record_id,
                                                   std::string_view field,
                                                   const ReadReason& reason) {
  auto bytes = reveal(record_id, field, reason);
  if (!bytes) return tl::unexpected(bytes.error());
  return std::string(as_chars(*bytes));
}

Result<std::vector<std::string>> PersonalDataVault::find(store::Session& session,
                                                         std::string_view field,
                                                         std::string_view normalized_value) {
  auto mac = blind_index_in(&session, field, normalized_value);
  if (!mac) return tl::unexpected(mac.error());
  auto rows = session.query(
      "SELECT record_id FROM vault_fields WHERE field = ? AND blind_index = ? ORDER BY record_id",
      {std::string(field), *mac});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<std::string> out;
  for (const auto& row : rows->rows) {
    auto id = row.text(0);
    if (!id) return tl::unexpected(id.error());
    out.push_back(std::move(*id));
  }
  return out;
}

Result<std::vector<std::string>> PersonalDataVault::find(std::string_view field,
                                                         std::string_view normalized_value) {
  std::vector<std::string> out;
  Status done = store_.transact([&](store::Session& session) -> Status {
    auto found = find(session, field, normalized_value);
    if (!found) return tl::unexpected(found.error());
    out = std::move(*found);
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return out;
}

Result<RewrapReport> PersonalDataVault::rewrap() {
  RewrapReport report;
  auto rows = store_.query("SELECT purpose, kek_id, wrapped FROM vault_keys ORDER BY purpose");
  if (!rows) return tl::unexpected(rows.error());
  const std::string current = key_id(keys_.current);
  auto cipher = Aes256Gcm::with_key(keys_.current);
  if (!cipher) return tl::unexpected(cipher.error());
  for (const auto& row : rows->rows) {
    auto purpose = row.text(0);
    auto kek_id = row.text(1);
    auto wrapped = row.blob(2);
    if (!purpose || !kek_id || !wrapped) return fail(ErrorCode::kInternal, "bad vault_keys row");
    if (*kek_id == current) {
      ++report.current;
      continue;
    }
    auto key = unwrap(*purpose, *kek_id, *wrapped);
    if (!key) return tl::unexpected(key.error());
    const Bytes rewrapped = cipher->seal(key->view(), wrap_context(*purpose), random_);
    // Each row on its own, guarded by the old wrapping: a concurrent rewrap cannot be undone.
    auto changed = store_.execute(
        "UPDATE vault_keys SET kek_id = ?, wrapped = ? WHERE purpose = ? AND kek_id = ?",
        {current, rewrapped, *purpose, *kek_id});
    if (!changed) return tl::unexpected(changed.error());
    if (*changed == 1) ++report.rewrapped;
  }
  return report;
}

const store::MigrationSet& vault_migrations() {
  static const store::MigrationSet set{
      "vault", {{1, "wrapped keys and sealed fields", kSqlite, kPostgresql}}};
  return set;
}

}  // namespace synthgate::identity
