#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace synthgate::moderation {

// A 256-bit PDQ hash: bit k = 16*i + j is DCT coefficient (i, j), stored as sixteen 16-bit
// words (word k/16 holds bit k%16), written as hex from word 15 down to word 0.
struct PdqHash {
  std::array<std::uint16_t, 16> words{};

  std::string hex() const;
  static Result<PdqHash> from_hex(std::string_view hex);
  bool operator==(const PdqHash&) const = default;
};

inline int hamming_distance(const PdqHash& a, const PdqHash& b) {
  // Four 64-bit popcounts instead of sixteen 16-bit ones.
  int d = 0;
  for (std::size_t i = 0; i < 16; i += 4) {
    std::uint64_t x = 0, y = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      x |= static_cast<std::uint64_t>(a.words[i + k]) << (16 * k);
      y |= static_cast<std::uint64_t>(b.words[i + k]) << (16 * k);
    }
    d += std::popcount(x ^ y);
  }
  return d;
}

struct PdqResult {
  PdqHash hash;
  int quality = 0;  // 0-100; hashes of quality 49 or less are not to be trusted
};

// PDQ (Meta's published algorithm, facebook/ThreatExchange pdq/): Rec.601 luma in float,
// two passes of Jarosz box filters, decimation to 64x64, quality from gradients, 16x16 of
// the 64-point DCT (without the DC row and column), threshold at the median.
PdqResult pdq_from_luma(const float* luma, int width, int height);
PdqResult pdq_from_rgb(const std::uint8_t* rgb, int width, int height);

}  // namespace synthgate::moderation
