#include "watermark/convolutional_code.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

float path_metric(const std::vector<std::uint8_t>& bits, const std::vector<float>& soft) {
  const auto coded = convolutional_encode(bits);
  float m = 0.0F;
  for (std::size_t i = 0; i < coded.size(); ++i) m += coded[i] ? soft[i] : -soft[i];
  return m;
}

TEST(ListViterbi, BestFirstDistinctAndHeadedByTheViterbiPath) {
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0.0F, 1.2F);
  const auto bits = random_bits(96, rng);
  auto soft = to_soft(convolutional_encode(bits));
  for (auto& v : soft) v += noise(rng);
  const auto list = list_viterbi_decode(soft, 96, 16);
  ASSERT_EQ(list.size(), 16U);
  EXPECT_EQ(list.front(), viterbi_decode(soft, 96));
  for (std::size_t i = 1; i < list.size(); ++i) {
    EXPECT_GE(path_metric(list[i - 1], soft), path_metric(list[i], soft) - 1e-3F) << i;
    for (std::size_t j = 0; j < i; ++j) EXPECT_NE(list[i], list[j]) << i << " " << j;
  }
}

// Where the best path is wrong, the true message is often among the next few: the list finds
// strictly more of them than plain Viterbi (the gain the keyed check turns into reads).
TEST(ListViterbi, HoldsTheTrueMessageMoreOftenThanTheBestPathIsIt) {
  std::mt19937 rng(6);
  std::normal_distribution<float> noise(0.0F, 1.15F);
  int best_right = 0;
  int in_list = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const auto bits = random_bits(96, rng);
    auto soft = to_soft(convolutional_encode(bits));
    for (auto& v : soft) v += noise(rng);
    best_right += viterbi_decode(soft, 96) == bits;
    const auto list = list_viterbi_decode(soft, 96, 16);
    in_list += std::find(list.begin(), list.end(), bits) != list.end();
  }
  EXPECT_GT(in_list, best_right + 20) << best_right << " " << in_list;
  EXPECT_GE(best_right, 20);  // the noise is at the decoding threshold, not beyond it
}

TEST(ConvolutionalCode, WrongLengthGivesZeros) {
  const std::vector<float> soft(10, 1.0F);
  EXPECT_EQ(viterbi_decode(soft, 96), std::vector<std::uint8_t>(96, 0));
}

}  // namespace
}  // namespace synthgate::watermark
