#include "core/aead.hpp"

#include <gtest/gtest.h>

#include "support/fixed_random.hpp"

namespace synthgate {
namespace {

Aes256Gcm zero_key() {
  return *Aes256Gcm::with_key(SecretBytes(Bytes(32, 0)));
}

TEST(Aes256Gcm, MatchesNistGcmTestCases13And14) {
  testing::FixedRandom zeros(0);  // all-zero nonce, as in the published cases
  const Bytes empty_box = zero_key().seal({}, {}, zeros);
  EXPECT_EQ(hex_encode(ByteView(empty_box).subspan(12)), "530f8afbc74536b9a963b4f1c4cb738b");

  const Bytes block(16, 0);
  const Bytes box = zero_key().seal(block, {}, zeros);
  EXPECT_EQ(hex_encode(ByteView(box).subspan(12, 16)), "cea7403d4d606b6e074ec5d3baf39d18");
  EXPECT_EQ(hex_encode(ByteView(box).subspan(28)), "d0d1c8a799996bf0265b98b5d48ab919");
}

TEST(Aes256Gcm, OpensWhatItSealed) {
  SecureRandom random;
  const auto aead = zero_key();
  const Bytes box = aead.seal(as_bytes("ID 11010519491231002X"), as_bytes("user:42"), random);
  auto plain = aead.open(box, as_bytes("user:42"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(as_chars(*plain), "ID 11010519491231002X");
}

TEST(Aes256Gcm, RefusesAlteredBoxesOtherAssociatedDataAndOtherKeys) {
  SecureRandom random;
  const auto aead = zero_key();
  Bytes box = aead.seal(as_bytes("secret"), as_bytes("user:42"), random);
  EXPECT_FALSE(aead.open(box, as_bytes("user:43")));
  auto other = Aes256Gcm::with_key(SecretBytes(Bytes(32, 1)));
  EXPECT_FALSE(other->open(box, as_bytes("user:42")));
  box[13] ^= 1;
  auto altered = aead.open(box, as_bytes("user:42"));
  ASSERT_FALSE(altered);
  EXPECT_EQ(altered.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(aead.open(Bytes(10, 0), {}));
}

TEST(Aes256Gcm, RefusesKeysOfTheWrongSize) {
  EXPECT_FALSE(Aes256Gcm::with_key(SecretBytes(Bytes(16, 0))));
}

}  // namespace
}  // namespace synthgate
