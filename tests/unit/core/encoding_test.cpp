#include "core/encoding.hpp"

#include <gtest/gtest.h>

namespace synthgate {
namespace {

TEST(Hex, EncodesLowercaseAndDecodesEitherCase) {
  const Bytes bytes = {0x00, 0x7f, 0xab, 0xff};
  EXPECT_EQ(hex_encode(bytes), "007fabff");
  auto back = hex_decode("007FabfF");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, bytes);
}

TEST(Hex, RefusesOddLengthAndForeignCharacters) {
  EXPECT_FALSE(hex_decode("abc"));
  auto bad = hex_decode("zz");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST(Base64, MatchesRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(as_bytes(plain)), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(as_chars(*decoded), plain);
  }
}

TEST(Base64, RefusesMalformedText) {
  EXPECT_FALSE(base64_decode("Zg="));       // length not a multiple of 4
  EXPECT_FALSE(base64_decode("Z g=="));     // space
  EXPECT_FALSE(base64_decode("Zg==Zg=="));  // padding in the middle
  EXPECT_FALSE(base64_decode("Z==="));
  EXPECT_FALSE(base64_decode("Zm9v\n"));
}

TEST(Base64, RefusesNonCanonicalTrailingBits) {
  EXPECT_FALSE(base64_decode("AD=="));  // would decode to 00, which encodes as AA==
  EXPECT_FALSE(base64_decode("Zg5="));
  EXPECT_TRUE(base64_decode("AA=="));
  EXPECT_FALSE(base64_decode("AB=="));
  EXPECT_TRUE(base64_decode("AAA="));
  EXPECT_FALSE(base64_decode("AAB="));
}

}  // namespace
}  // namespace synthgate
