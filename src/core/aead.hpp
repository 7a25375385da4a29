#pragma once

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "core/secure_random.hpp"

namespace synthgate {

// AES-256-GCM with a random 96-bit nonce. A sealed box is nonce (12) || ciphertext || tag (16);
// the associated data is authenticated but not stored (bind records to their row id with it).
class Aes256Gcm {
 public:
  static constexpr std::size_t kKeySize = 32;
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;

  static Result<Aes256Gcm> with_key(SecretBytes key);

  Bytes seal(ByteView plaintext, ByteView associated_data, RandomSource& random) const;
  // Fails with kInvalidArgument when the box was altered, truncated or sealed under
  // another key or associated data.
  Result<Bytes> open(ByteView box, ByteView associated_data) const;

 private:
  explicit Aes256Gcm(SecretBytes key) : key_(std::move(key)) {}
  SecretBytes key_;
};

}  // namespace synthgate
