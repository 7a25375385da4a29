#include "watermark/payload_codec.hpp"

#include <gtest/gtest.h>

#include <random>

namespace synthgate::watermark {
namespace {

SecretBytes key_of(std::uint8_t fill) {
  return SecretBytes(std::vector<std::uint8_t>(32, fill));
}

std::vector<float> to_soft(const std::vector<std::uint8_t>& coded) {
  std::vector<float> soft;
  for (const auto c : coded) soft.push_back(c ? 1.0F : -1.0F);
  return soft;
}

TEST(PayloadCodec, RoundTrip) {
  const auto key = key_of(1);
  for (const std::uint64_t payload : {0ULL, 1ULL, 0xffffffffffffffffULL, 0x0123456789abcdefULL}) {
    const auto coded = encode_payload(payload, key);
    ASSERT_EQ(coded.size(), kCodedBits);
    const auto decoded = decode_payload(to_soft(coded), key);
    EXPECT_TRUE(decoded.valid);
    EXPECT_EQ(decoded.payload, payload);
    EXPECT_EQ(decoded.bit_errors, 0);
    EXPECT_DOUBLE_EQ(decoded.confidence, 1.0);
  }
}

TEST(PayloadCodec, CountsCorrectedErrors) {
  const auto key = key_of(2);
  auto soft = to_soft(encode_payload(42, key));
  for (std::size_t i = 0; i < soft.size(); i += 17) soft[i] = -soft[i];
  const auto decoded = decode_payload(soft, key);
  ASSERT_TRUE(decoded.valid);
  EXPECT_EQ(decoded.payload, 42U);
  EXPECT_EQ(decoded.bit_errors, static_cast<int>((kCodedBits + 16) / 17));
  EXPECT_LT(decoded.confidence, 1.0);
}

TEST(PayloadCodec, OtherKeyFailsTheCheck) {
  const auto soft = to_soft(encode_payload(42, key_of(3)));
  EXPECT_FALSE(decode_payload(soft, key_of(4)).valid);
}

TEST(PayloadCodec, NoiseFailsTheCheck) {
  std::mt19937 rng(5);
  std::normal_distribution<float> noise;
  const auto key = key_of(6);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<float> soft(kCodedBits);
    for (auto& s : soft) s = noise(rng);
    EXPECT_FALSE(decode_payload(soft, key).valid);
  }
}

}  // namespace
}  // namespace synthgate::watermark
