#include "core/key_set.hpp"

#include <system_error>

#include "core/encoding.hpp"
#include "core/key_file.hpp"

namespace synthgate {

namespace fs = std::filesystem;

namespace {
constexpr const char* kSigningKeys[] = {"audit-signing.pem", "metadata-signing.pem"};
constexpr const char* kSymmetricKeys[] = {"watermark.key", "vault.key"};
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
  for (const char* name : kSigningKeys) {
    if (fs::exists(dir / name)) continue;
    auto written = write_new_key_file(dir / name, Ed25519SigningKey::generate(random).to_pem());
    if (!written) return written;
    generated.emplace_back(name);
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

Result<Ed25519SigningKey> read_signing_key_file(const fs::path& path) {
  auto pem = read_key_file(path);
  if (!pem) return tl::unexpected(pem.error());
  auto signing = Ed25519SigningKey::from_pem(*pem);
  if (!signing) return tl::unexpected(with_context(signing.error(), path.string()));
  return signing;
}

Result<KeySetLoad> load_key_set(const fs::path& dir, bool generate_missing, RandomSource& random) {
  std::vector<std::string> generated;
  if (generate_missing) {
    if (auto made = generate_missing_keys(dir, random, generated); !made) {
      return tl::unexpected(made.error());
    }
  }
  auto audit = read_signing_key_file(dir / kSigningKeys[0]);
  if (!audit) return tl::unexpected(audit.error());
  auto metadata = read_signing_key_file(dir / kSigningKeys[1]);
  if (!metadata) return tl::unexpected(metadata.error());
  SecretBytes symmetric[std::size(kSymmetricKeys)];
  for (std::size_t i = 0; i < std::size(kSymmetricKeys); ++i) {
    auto key = read_symmetric_key_file(dir / kSymmetricKeys[i], kSymmetricKeySize);
    if (!key) return tl::unexpected(key.error());
    symmetric[i] = std::move(*key);
  }
  return KeySetLoad{KeySet{std::move(*audit), std::move(*metadata), std::move(symmetric[0]),
                           std::move(symmetric[1])},
                    std::move(generated)};
}

}  // namespace synthgate
