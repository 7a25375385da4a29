#include "watermark/convolutional_code.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <memory>

namespace synthgate::watermark {

namespace {

constexpr std::array<unsigned, kCodeRate> kGenerators = {0133, 0171, 0165};
constexpr unsigned kStates = 1U << (kConstraintLength - 1);
constexpr float kUnreachedMetric = -std::numeric_limits<float>::infinity();

// Output bits of one trellis step; `reg` holds the new bit in bit 6 and the state below.
unsigned step_output(unsigned reg, int i) {
  return static_cast<unsigned>(std::popcount(reg & kGenerators[static_cast<std::size_t>(i)])) & 1U;
}

}  // namespace

std::vector<std::uint8_t> convolutional_encode(std::span<const std::uint8_t> bits) {
  std::vector<std::uint8_t> out;
  const std::size_t steps = bits.size() + kConstraintLength - 1;
  out.reserve(steps * kCodeRate);
  unsigned state = 0;
  for (std::size_t t = 0; t < steps; ++t) {
    const unsigned bit = t < bits.size() ? (bits[t] & 1U) : 0U;
    const unsigned reg = (bit << (kConstraintLength - 1)) | state;
    for (int i = 0; i < kCodeRate; ++i)
      out.push_back(static_cast<std::uint8_t>(step_output(reg, i)));
    state = reg >> 1;
  }
  return out;
}

std::vector<std::vector<std::uint8_t>> list_viterbi_decode(std::span<const float> soft,
                                                           std::size_t message_bits,
                                                           std::size_t list_size) {
  const std::size_t steps = message_bits + kConstraintLength - 1;
  std::vector<std::vector<std::uint8_t>> out;
  if (soft.size() != steps * kCodeRate || list_size == 0) return out;
  const std::size_t L = list_size;

  // One surviving path into a state: its metric, and where it came from (the low bit of the
  // previous state and the path's rank there).
  struct Path {
    float metric;
    std::uint8_t low;
    std::uint16_t rank;
  };
  // paths[(t * kStates + state) * L + r], count[t * kStates + state] of them, best first. Left
  // uninitialised: only the first count entries of a state are ever read.
  const std::unique_ptr<Path[]> paths(new Path[steps * kStates * L]);
  std::vector<std::uint16_t> count(steps * kStates, 0);
  for (std::size_t t = 0; t < steps; ++t) {
    const float* s = soft.data() + t * kCodeRate;
    for (unsigned to = 0; to < kStates; ++to) {
      const unsigned bit = to >> (kConstraintLength - 2);
      if (t >= message_bits && bit == 1) continue;  // the tail is all zeros
      Path* out_paths = paths.get() + (t * kStates + to) * L;
      std::uint16_t& out_count = count[t * kStates + to];
      if (t == 0) {  // only state 0 is reached at the start
        if (((to << 1) & (kStates - 1)) != 0) continue;
        const unsigned reg = bit << (kConstraintLength - 1);
        float branch = 0.0F;
        for (int i = 0; i < kCodeRate; ++i) branch += step_output(reg, i) ? s[i] : -s[i];
        out_paths[0] = {branch, 0, 0};
        out_count = 1;
        continue;
      }
      // The two predecessors' lists are each best first: merge them, keeping the L best.
      std::array<const Path*, 2> in{};
      std::array<std::size_t, 2> n{};
      std::array<float, 2> branch{};
      for (unsigned low = 0; low < 2; ++low) {
        const unsigned from = ((to << 1) & (kStates - 1)) | low;
        const unsigned reg = (bit << (kConstraintLength - 1)) | from;
        for (int i = 0; i < kCodeRate; ++i) branch[low] += step_output(reg, i) ? s[i] : -s[i];
        in[low] = paths.get() + ((t - 1) * kStates + from) * L;
        n[low] = count[(t - 1) * kStates + from];
      }
      std::array<std::size_t, 2> at{};
      std::size_t kept = 0;
      while (kept < L && (at[0] < n[0] || at[1] < n[1])) {
        const float a = at[0] < n[0] ? in[0][at[0]].metric + branch[0] : kUnreachedMetric;
        const float b = at[1] < n[1] ? in[1][at[1]].metric + branch[1] : kUnreachedMetric;
        const unsigned low = b > a ? 1U : 0U;
        out_paths[kept++] = {low ? b : a, static_cast<std::uint8_t>(low),
                             static_cast<std::uint16_t>(at[low]++)};
      }
      out_count = static_cast<std::uint16_t>(kept);
    }
  }
  for (std::size_t r0 = 0; r0 < count[(steps - 1) * kStates]; ++r0) {
    std::vector<std::uint8_t> bits(message_bits, 0);
    unsigned state = 0;
    std::size_t r = r0;
    for (std::size_t t = steps; t-- > 0;) {
      const unsigned bit = state >> (kConstraintLength - 2);
      if (t < message_bits) bits[t] = static_cast<std::uint8_t>(bit);
      const Path& p = paths[(t * kStates + state) * L + r];
      state = ((state << 1) & (kStates - 1)) | p.low;
      r = p.rank;
    }
    out.push_back(std::move(bits));
  }
  return out;
}

std::vector<std::uint8_t> viterbi_decode(std::span<const float> soft, std::size_t message_bits) {
  auto best = list_viterbi_decode(soft, message_bits, 1);
  if (best.empty()) return std::vector<std::uint8_t>(message_bits, 0);
  return std::move(best.front());
}

}  // namespace synthgate::watermark
