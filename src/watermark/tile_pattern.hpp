#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/secret_bytes.hpp"

namespace synthgate::watermark {

// The mark is one square tile of kTileCells x kTileCells cells repeated over the whole
// image. A quarter of the cells carry a keyed synchronisation sign; the rest carry the coded
// payload bits, each bit spread over two or three cells placed at keyed positions with keyed
// signs. Without the key the tile looks like white noise.
inline constexpr int kTileCells = 32;
inline constexpr int kTileCellCount = kTileCells * kTileCells;
inline constexpr int kSyncCells = kTileCellCount / 4;

struct TileCell {
  std::int16_t coded_bit = -1;  // index into the coded bits; -1 for a synchronisation cell
  std::int8_t sign = 1;         // keyed carrier sign, +1 or -1
};

struct TilePattern {
  std::array<TileCell, kTileCellCount> cells;  // row-major
};

// Derived from HMAC-SHA256(key, label), so only the key holder can place or find it.
TilePattern derive_tile_pattern(const SecretBytes& key);

// The +1/-1 value each cell takes for these coded bits.
std::array<std::int8_t, kTileCellCount> tile_chips(const TilePattern& pattern,
                                                   const std::vector<std::uint8_t>& coded);

}  // namespace synthgate::watermark
