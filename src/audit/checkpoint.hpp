#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/merkle.hpp"
#include "core/ed25519.hpp"
#include "core/result.hpp"

namespace synthgate::audit {

// A C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint) signed as a C2SP signed note
// (c2sp.org/signed-note) with an Ed25519 key, so that existing tools (golang.org/x/mod/
// sumdb/note, transparency-dev/formats) verify it:
//
//   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key hash || signature)>\n
struct Checkpoint {
  std::string origin;
  std::uint64_t tree_size = 0;
  Hash root{};

  // The signed body: the three lines, each ending in a newline.
  std::string body() const;
};

// The 4-byte key hash of signed-note: SHA-256(name || "\n" || 0x01 || public key)[:4].
std::array<std::uint8_t, 4> note_key_hash(std::string_view name, const Ed25519PublicKey& key);

// The verifier key: <name>+<key hash hex>+<base64(0x01 || public key)>.
std::string verifier_key(std::string_view name, const Ed25519PublicKey& key);

struct VerifierKey {
  std::string name;
  std::array<std::uint8_t, 4> key_hash{};
  Ed25519PublicKey key{};
};
Result<VerifierKey> parse_verifier_key(std::string_view text);

// Signs any note text (which must end in a newline) and returns the whole note.
Result<std::string> sign_note(std::string_view text, std::string_view key_name,
                              const Ed25519SigningKey& key);

// Signs a checkpoint body.
std::string sign_checkpoint(const Checkpoint& checkpoint, std::string_view key_name,
                            const Ed25519SigningKey& key);

// Parses a signed checkpoint and checks it carries a valid signature by `verifier`.
// Signatures by other keys (witnesses) are allowed and ignored.
Result<Checkpoint> open_checkpoint(std::string_view note, const VerifierKey& verifier);

}  // namespace synthgate::audit
