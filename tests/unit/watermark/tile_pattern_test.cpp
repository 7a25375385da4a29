#include "watermark/tile_pattern.hpp"

#include <gtest/gtest.h>

#include "watermark/payload_codec.hpp"

namespace synthgate::watermark {
namespace {

SecretBytes key_of(std::uint8_t fill) {
  return SecretBytes(std::vector<std::uint8_t>(32, fill));
}

TEST(TilePattern, QuarterSyncAndEveryCodedBitTwoOrThreeTimes) {
  const TilePattern pattern = derive_tile_pattern(key_of(1));
  int sync = 0;
  std::vector<int> uses(kCodedBits, 0);
  int positive = 0;
  for (const TileCell& cell : pattern.cells) {
    if (cell.coded_bit < 0) {
      ++sync;
    } else {
      ++uses[static_cast<std::size_t>(cell.coded_bit)];
    }
    if (cell.sign > 0) ++positive;
  }
  EXPECT_EQ(sync, kSyncCells);
  for (const int n : uses) {
    EXPECT_GE(n, 2);
    EXPECT_LE(n, 3);
  }
  // Keyed signs: about half positive.
  EXPECT_GT(positive, kTileCellCount * 4 / 10);
  EXPECT_LT(positive, kTileCellCount * 6 / 10);
}

TEST(TilePattern, SameKeySameLayoutOtherKeyOther) {
  const auto a = derive_tile_pattern(key_of(1));
  const auto b = derive_tile_pattern(key_of(1));
  const auto c = derive_tile_pattern(key_of(2));
  int same_ab = 0;
  int same_ac = 0;
  for (std::size_t i = 0; i < a.cells.size(); ++i) {
    same_ab += a.cells[i].coded_bit == b.cells[i].coded_bit && a.cells[i].sign == b.cells[i].sign;
    same_ac += a.cells[i].coded_bit == c.cells[i].coded_bit && a.cells[i].sign == c.cells[i].sign;
  }
  EXPECT_EQ(same_ab, kTileCellCount);
  EXPECT_LT(same_ac, kTileCellCount / 4);
}

TEST(TilePattern, ChipsCarryTheCodedBits) {
  const auto pattern = derive_tile_pattern(key_of(3));
  std::vector<std::uint8_t> coded(kCodedBits, 1);
  const auto ones = tile_chips(pattern, coded);
  coded.assign(kCodedBits, 0);
  const auto zeros = tile_chips(pattern, coded);
  for (std::size_t i = 0; i < pattern.cells.size(); ++i) {
    if (pattern.cells[i].coded_bit < 0) {
      EXPECT_EQ(ones[i], zeros[i]);
    } else {
      EXPECT_EQ(ones[i], -zeros[i]);
    }
  }
}

}  // namespace
}  // namespace synthgate::watermark
