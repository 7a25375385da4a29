#pragma once

#include <array>
#include <cstdint>

#include "core/encoding.hpp"
#include "core/secret_bytes.hpp"

namespace synthgate {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(ByteView data);

// Incremental SHA-256 for data that arrives in pieces (large files, Merkle leaves).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void update(ByteView data);
  Sha256Digest finish();

 private:
  struct State;
  State* state_;
};

Sha256Digest hmac_sha256(const SecretBytes& key, ByteView data);

// Comparison whose time does not depend on where the inputs differ (for MACs and tokens).
bool constant_time_equal(ByteView a, ByteView b);

}  // namespace synthgate
