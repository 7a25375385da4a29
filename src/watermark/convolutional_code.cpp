#include "watermark/convolutional_code.hpp"

#include <array>
#include <bit>
#include <limits>

namespace synthgate::watermark {

namespace {

constexpr std::array<unsigned, kCodeRate> kGenerators = {0133, 0171, 0165};
constexpr unsigned kStates = 1U << (kConstraintLength - 1);

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

std::vector<std::uint8_t> viterbi_decode(std::span<const float> soft, std::size_t message_bits) {
  const std::size_t steps = message_bits + kConstraintLength - 1;
  std::vector<std::uint8_t> bits(message_bits, 0);
  if (soft.size() != steps * kCodeRate) return bits;

  constexpr float kUnreached = -std::numeric_limits<float>::infinity();
  std::array<float, kStates> metric{};
  metric.fill(kUnreached);
  metric[0] = 0.0F;
  // For every step and new state: the low bit of the state it came from.
  std::vector<std::array<std::uint8_t, kStates>> from(steps);
  for (std::size_t t = 0; t < steps; ++t) {
    std::array<float, kStates> next{};
    next.fill(kUnreached);
    const float* s = soft.data() + t * kCodeRate;
    for (unsigned state = 0; state < kStates; ++state) {
      if (metric[state] == kUnreached) continue;
      for (unsigned bit = 0; bit < 2; ++bit) {
        if (t >= message_bits && bit == 1) continue;  // the tail is all zeros
        const unsigned reg = (bit << (kConstraintLength - 1)) | state;
        float branch = 0.0F;
        for (int i = 0; i < kCodeRate; ++i) branch += step_output(reg, i) ? s[i] : -s[i];
        const unsigned to = reg >> 1;
        const float candidate = metric[state] + branch;
        if (candidate > next[to]) {
          next[to] = candidate;
          from[t][to] = static_cast<std::uint8_t>(state & 1U);
        }
      }
    }
    metric = next;
  }
  unsigned state = 0;
  for (std::size_t t = steps; t-- > 0;) {
    const unsigned bit = state >> (kConstraintLength - 2);
    if (t < message_bits) bits[t] = static_cast<std::uint8_t>(bit);
    state = ((state << 1) & (kStates - 1)) | from[t][state];
  }
  return bits;
}

}  // namespace synthgate::watermark
