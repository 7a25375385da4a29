#pragma once

#include <filesystem>
#include <vector>

#include "core/ed25519.hpp"
#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "core/secure_random.hpp"

namespace synthgate {

// The keys a SynthGate instance signs and seals with, one file each in the key directory.
struct KeySet {
  Ed25519SigningKey audit_signing;     // audit-signing.pem: signs audit log checkpoints
  Ed25519SigningKey metadata_signing;  // metadata-signing.pem: signs ReservedCode1 of labels
  SecretBytes watermark;               // watermark.key: keys the invisible watermark
  SecretBytes vault;                   // vault.key: AES-256-GCM key of the personal-data vault
};

struct KeySetLoad {
  KeySet keys;
  std::vector<std::string> generated;  // file names created by this call
};

// An Ed25519 private key file (PKCS#8 PEM, mode 0600).
Result<Ed25519SigningKey> read_signing_key_file(const std::filesystem::path& path);

// Loads the key set from `dir`. With `generate_missing`, first creates the directory (0700)
// and any missing key file (0600) from `random`: the development key set of a first run.
// Without it, a missing file is an error that names it.
Result<KeySetLoad> load_key_set(const std::filesystem::path& dir, bool generate_missing,
                                RandomSource& random);

}  // namespace synthgate
