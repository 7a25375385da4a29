#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace synthgate {

// Source of unpredictable bytes; tests substitute a deterministic one.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;

  std::vector<std::uint8_t> bytes(std::size_t n) {
    std::vector<std::uint8_t> out(n);
    fill(out);
    return out;
  }
};

// OpenSSL's CSPRNG (RAND_bytes). Aborts if the generator cannot be seeded, since
// continuing without randomness would produce predictable keys and ids.
class SecureRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

}  // namespace synthgate
