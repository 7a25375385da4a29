#include "watermark/convolutional_code.hpp"

#include <gtest/gtest.h>

#include <random>

namespace synthgate::watermark {
namespace {

std::vector<std::uint8_t> random_bits(std::size_t n, std::mt19937& rng) {
  std::vector<std::uint8_t> bits(n);
  for (auto& b : bits) b = static_cast<std::uint8_t>(rng() & 1U);
  return bits;
}

std::vector<float> to_soft(const std::vector<std::uint8_t>& coded) {
  std::vector<float> soft;
  for (const auto c : coded) soft.push_back(c ? 1.0F : -1.0F);
  return soft;
}

TEST(ConvolutionalCode, EncodesAtRateOneThirdWithTail) {
  std::mt19937 rng(1);
  const auto bits = random_bits(96, rng);
  EXPECT_EQ(convolutional_encode(bits).size(), 3U * (96 + 6));
}

TEST(ConvolutionalCode, DecodesCleanInput) {
  std::mt19937 rng(2);
  const auto bits = random_bits(96, rng);
  EXPECT_EQ(viterbi_decode(to_soft(convolutional_encode(bits)), 96), bits);
}

TEST(ConvolutionalCode, CorrectsScatteredErrors) {
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20; ++trial) {
    const auto bits = random_bits(96, rng);
    auto soft = to_soft(convolutional_encode(bits));
    // One flipped coded bit in every ten: well inside what K=7 at rate 1/3 corrects.
    for (std::size_t i = 5; i < soft.size(); i += 10) soft[i] = -soft[i];
    EXPECT_EQ(viterbi_decode(soft, 96), bits) << "trial " << trial;
  }
}

TEST(ConvolutionalCode, UsesSoftConfidence) {
  std::mt19937 rng(4);
  const auto bits = random_bits(96, rng);
  auto soft = to_soft(convolutional_encode(bits));
  // A third of the values flipped but weak, the rest strong: soft decoding still recovers.
  for (std::size_t i = 0; i < soft.size(); i += 3) soft[i] = -0.2F * soft[i];
  EXPECT_EQ(viterbi_decode(soft, 96), bits);
}

TEST(ConvolutionalCode, WrongLengthGivesZeros) {
  const std::vector<float> soft(10, 1.0F);
  EXPECT_EQ(viterbi_decode(soft, 96), std::vector<std::uint8_t>(96, 0));
}

}  // namespace
}  // namespace synthgate::watermark
