#include "audit/checkpoint.hpp"

#include <gtest/gtest.h>

#include "support/fixed_random.hpp"

namespace synthgate::audit {
namespace {

// The example of golang.org/x/mod/sumdb/note (note.go and note_test.go): its signer key
// PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz, whose
// base64 part is 0x01 || the Ed25519 seed, its verifier key and its signed note.
constexpr std::string_view kPeterSeed = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kPeterVerifier =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kPeterText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kPeterNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

Ed25519SigningKey peter() {
  auto typed = base64_decode(kPeterSeed);
  EXPECT_EQ((*typed)[0], 0x01);
  return *Ed25519SigningKey::from_seed(SecretBytes(Bytes(typed->begin() + 1, typed->end())));
}

TEST(SignedNote, VerifierKeyMatchesTheGoSumdbExample) {
  EXPECT_EQ(verifier_key("PeterNeumann", peter().public_key()), kPeterVerifier);
  auto parsed = parse_verifier_key(kPeterVerifier);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->name, "PeterNeumann");
  EXPECT_EQ(hex_encode(parsed->key_hash), "c74f20a3");
}

TEST(SignedNote, SignsTheGoSumdbExampleByteForByte) {
  auto note = sign_note(kPeterText, "PeterNeumann", peter());
  ASSERT_TRUE(note);
  EXPECT_EQ(*note, kPeterNote);
}

TEST(SignedNote, RefusesMalformedVerifierKeys) {
  for (std::string_view bad : {
           "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // wrong hash
           "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // upper case
           "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
           "PeterNeumann+c74f20a3", "PeterNeumann+c74f20a3+!!!!",
           "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // not Ed25519
       }) {
    EXPECT_FALSE(parse_verifier_key(bad)) << bad;
  }
}

TEST(Checkpoint, IsATlogCheckpointThatOpensWithItsKey) {
  testing::FixedRandom random(7);
  const auto key = Ed25519SigningKey::generate(random);
  Checkpoint cp{"example.com/audit", 42, leaf_hash(as_bytes("x"))};
  EXPECT_EQ(cp.body(), "example.com/audit\n42\n" + base64_encode(cp.root) + "\n");
  const std::string note = sign_checkpoint(cp, "example.com/audit", key);
  EXPECT_TRUE(note.starts_with(cp.body() + "\n\xE2\x80\x94 example.com/audit "));
  auto verifier = parse_verifier_key(verifier_key("example.com/audit", key.public_key()));
  ASSERT_TRUE(verifier);
  auto opened = open_checkpoint(note, *verifier);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->tree_size, 42u);
  EXPECT_EQ(opened->root, cp.root);
  EXPECT_EQ(opened->origin, "example.com/audit");

  // A witness's cosignature beside ours is ignored, not an error.
  testing::FixedRandom witness_random(8);
  const auto witness = Ed25519SigningKey::generate(witness_random);
  auto cosigned = sign_note(cp.body(), "witness.example", witness);
  ASSERT_TRUE(cosigned);
  const std::string both = note + cosigned->substr(cp.body().size() + 1);
  EXPECT_TRUE(open_checkpoint(both, *verifier));

  // Any changed byte of the body or the signature is refused.
  for (std::size_t i = 0; i < note.size(); ++i) {
    std::string changed = note;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(open_checkpoint(changed, *verifier)) << "byte " << i;
  }
  // So is a note signed by someone else under our name.
  EXPECT_FALSE(open_checkpoint(sign_checkpoint(cp, "example.com/audit", witness), *verifier));
}

}  // namespace
}  // namespace synthgate::audit
