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

// The eight rotations and mirror images of a picture. A mirrored or rotated copy of a
// blocked image hashes far from it; its hash is computed from the original's DCT (the
// reference's dihedral hashes: each is a transpose and sign pattern of the coefficients).
enum class Dihedral : std::uint8_t {
  kOriginal,
  kRotate90,  // a quarter turn anticlockwise
  kRotate180,
  kRotate270,   // a quarter turn clockwise
  kFlipX,       // upside down (mirrored across the horizontal axis)
  kFlipY,       // left to right (mirrored across the vertical axis)
  kFlipPlus1,   // transposed (mirrored across the main diagonal)
  kFlipMinus1,  // mirrored across the anti-diagonal
};
std::string_view dihedral_name(Dihedral d);

struct PdqDihedralResult {
  std::array<PdqHash, 8> hashes;  // indexed by Dihedral
  int quality = 0;
};
PdqDihedralResult pdq_dihedral_from_rgb(const std::uint8_t* rgb, int width, int height);

}  // namespace synthgate::moderation
