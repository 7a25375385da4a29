#include "watermark/tile_pattern.hpp"

#include <numeric>
#include <string_view>

#include "core/digest.hpp"
#include "watermark/payload_codec.hpp"

namespace synthgate::watermark {

namespace {

// xoshiro256**: a small, fully specified generator, so the layout a key gives never
// changes with the standard library.
class KeyedStream {
 public:
  explicit KeyedStream(const Sha256Digest& seed) {
    for (std::size_t i = 0; i < 4; ++i) {
      std::uint64_t v = 0;
      for (std::size_t j = 0; j < 8; ++j) v = (v << 8) | seed[i * 8 + j];
      s_[i] = v;
    }
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) for the small n used here (bias below 2^-50).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

}  // namespace

TilePattern derive_tile_pattern(const SecretBytes& key) {
  constexpr std::string_view kLabel = "synthgate watermark v1 tile";
  KeyedStream stream(hmac_sha256(key, as_bytes(kLabel)));
  std::array<int, kTileCellCount> order{};
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = order.size() - 1; i > 0; --i) {
    std::swap(order[i], order[stream.below(i + 1)]);
  }
  TilePattern pattern;
  for (std::size_t i = 0; i < order.size(); ++i) {
    TileCell& cell = pattern.cells[static_cast<std::size_t>(order[i])];
    cell.sign = (stream.next() >> 63) ? std::int8_t{1} : std::int8_t{-1};
    cell.coded_bit = i < static_cast<std::size_t>(kSyncCells)
                         ? std::int16_t{-1}
                         : static_cast<std::int16_t>((i - kSyncCells) % kCodedBits);
  }
  return pattern;
}

std::array<std::int8_t, kTileCellCount> tile_chips(const TilePattern& pattern,
                                                   const std::vector<std::uint8_t>& coded) {
  std::array<std::int8_t, kTileCellCount> chips{};
  for (std::size_t i = 0; i < chips.size(); ++i) {
    const TileCell& cell = pattern.cells[i];
    const bool one = cell.coded_bit < 0 || coded[static_cast<std::size_t>(cell.coded_bit)] != 0;
    chips[i] = static_cast<std::int8_t>(one ? cell.sign : -cell.sign);
  }
  return chips;
}

}  // namespace synthgate::watermark
