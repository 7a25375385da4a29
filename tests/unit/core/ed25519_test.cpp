#include "core/ed25519.hpp"

#include <gtest/gtest.h>

namespace synthgate {
namespace {

// RFC 8032 §7.1, TEST 1 and TEST 2.
TEST(Ed25519, MatchesRfc8032Vectors) {
  auto key = Ed25519SigningKey::from_seed(
      SecretBytes(*hex_decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")));
  ASSERT_TRUE(key);
  EXPECT_EQ(hex_encode(key->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(
      hex_encode(key->sign({})),
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701"
      "cf9b46bd25bf5f0595bbe24655141438e7a100b");

  auto key2 = Ed25519SigningKey::from_seed(
      SecretBytes(*hex_decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")));
  const Bytes message = {0x72};
  EXPECT_EQ(
      hex_encode(key2->sign(message)),
      "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d"
      "0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

TEST(Ed25519, VerifiesItsOwnSignaturesAndRefusesOthers) {
  SecureRandom random;
  const auto key = Ed25519SigningKey::generate(random);
  const auto sig = key.sign(as_bytes("checkpoint"));
  EXPECT_TRUE(ed25519_verify(key.public_key(), as_bytes("checkpoint"), sig));
  EXPECT_FALSE(ed25519_verify(key.public_key(), as_bytes("checkpoinT"), sig));
  const auto other = Ed25519SigningKey::generate(random);
  EXPECT_FALSE(ed25519_verify(other.public_key(), as_bytes("checkpoint"), sig));
}

TEST(Ed25519, PemRoundTripsAndRefusesOtherKeys) {
  SecureRandom random;
  const auto key = Ed25519SigningKey::generate(random);
  const std::string pem = key.to_pem();
  EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  auto back = Ed25519SigningKey::from_pem(pem);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->public_key(), key.public_key());
  EXPECT_FALSE(Ed25519SigningKey::from_pem(
      "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
  EXPECT_FALSE(Ed25519SigningKey::from_pem("not a key"));
  EXPECT_FALSE(Ed25519SigningKey::from_seed(SecretBytes(Bytes(31, 0))));
}

}  // namespace
}  // namespace synthgate
