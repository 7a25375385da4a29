#include "core/key_set.hpp"

#include <system_error>

#include "core/encoding.hpp"
#include "core/key_file.hpp"

namespace synthgate {

namespace fs = std::filesystem;

namespace {
constexpr const char* kAuditSigning = "audit-signing.pem";
constexpr const char* kSymmetricKeys[] = {"metadata-hmac.key", "watermark.key", "vault.key"};
constexpr std::size_t kSymmetricKeySize = 32;

Status generate_missing_keys(const fs::path& dir, RandomSource& random,
                             std::vector<std::string>& generated) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec)
      return fail(ErrorCode::kIo,
                  "cannot create key directory " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  if (!fs::exists(dir / kAuditSigning)) {
    auto written =
        write_new_key_file(dir / kAuditSigning, Ed25519SigningKey::generate(random).to_pem());
    if (!written) return written;
    generated.emplace_back(kAuditSigning);
  }
  for (const char* name : kSymmetricKeys) {
    if (fs::exists(dir / name)) continue;
    auto written =
        write_new_key_file(dir / name, hex_encode(random.bytes(kSymmetricKeySize)) + "\n");
    if (!written) return written;
    generated.emplace_back(name);
  }
  return {};
}
}  // namespace

Result<KeySetLoad> load_key_set(const fs::path& dir, bool generate_missing, RandomSource& random) {
  KeySetLoad out{KeySet{Ed25519SigningKey::generate(random), {}, {}, {}}, {}};
  if (generate_missing) {
    if (auto made = generate_missing_keys(dir, random, out.generated); !made) {
      return tl::unexpected(made.error());
    }
  }
  auto pem = read_key_file(dir / kAuditSigning);
  if (!pem) return tl::unexpected(pem.error());
  auto signing = Ed25519SigningKey::from_pem(*pem);
  if (!signing)
    return tl::unexpected(with_context(signing.error(), (dir / kAuditSigning).string()));
  out.keys.audit_signing = std::move(*signing);

  SecretBytes* slots[] = {&out.keys.metadata_hmac, &out.keys.watermark, &out.keys.vault};
  for (std::size_t i = 0; i < std::size(kSymmetricKeys); ++i) {
    auto key = read_symmetric_key_file(dir / kSymmetricKeys[i], kSymmetricKeySize);
    if (!key) return tl::unexpected(key.error());
    *slots[i] = std::move(*key);
  }
  return out;
}

}  // namespace synthgate
