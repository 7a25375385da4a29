#include "core/digest.hpp"

#include <gtest/gtest.h>

namespace synthgate {
namespace {

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(hex_encode(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_encode(sha256(as_bytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Sha256Hasher hasher;
  hasher.update(as_bytes(std::string_view(text).substr(0, 10)));
  hasher.update(as_bytes(std::string_view(text).substr(10)));
  EXPECT_EQ(hex_encode(hasher.finish()),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  const SecretBytes key(Bytes{'J', 'e', 'f', 'e'});
  EXPECT_EQ(hex_encode(hmac_sha256(key, as_bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(ConstantTimeEqual, ComparesContentAndLength) {
  EXPECT_TRUE(constant_time_equal(as_bytes("abc"), as_bytes("abc")));
  EXPECT_FALSE(constant_time_equal(as_bytes("abc"), as_bytes("abd")));
  EXPECT_FALSE(constant_time_equal(as_bytes("abc"), as_bytes("abcd")));
}

}  // namespace
}  // namespace synthgate
