#pragma once

#include <array>
#include <memory>
#include <string>

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "core/secure_random.hpp"

namespace synthgate {

using Ed25519PublicKey = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

bool ed25519_verify(const Ed25519PublicKey& key, ByteView message,
                    const Ed25519Signature& signature);

// An Ed25519 private key (RFC 8032), kept as its 32-byte seed.
class Ed25519SigningKey {
 public:
  static Ed25519SigningKey generate(RandomSource& random);
  static Result<Ed25519SigningKey> from_seed(SecretBytes seed);
  // PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes it.
  static Result<Ed25519SigningKey> from_pem(std::string_view pem);

  std::string to_pem() const;
  const SecretBytes& seed() const { return seed_; }
  Ed25519PublicKey public_key() const;
  Ed25519Signature sign(ByteView message) const;

 private:
  explicit Ed25519SigningKey(SecretBytes seed) : seed_(std::move(seed)) {}
  SecretBytes seed_;
};

}  // namespace synthgate
