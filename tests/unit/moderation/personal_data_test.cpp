#include "moderation/personal_data.hpp"

#include <gtest/gtest.h>

#include <map>

#include "shared_tables.hpp"

namespace synthgate::moderation {
namespace {

TEST(PersonalData, ChecksResidentIdCheckDigit) {
  EXPECT_TRUE(resident_id_valid("11010519491231002X"));  // GB 11643 example
  EXPECT_TRUE(resident_id_valid("110105194912310021") == false);
  EXPECT_TRUE(resident_id_valid("440524188001010014") == false);  // born before 1900
  EXPECT_FALSE(resident_id_valid("11010519490231002X"));          // 31 February
}

TEST(PersonalData, ChecksLuhnCreditCodeAndMobile) {
  EXPECT_TRUE(luhn_valid("6222021234567890128") || luhn_valid("4111111111111111"));
  EXPECT_TRUE(luhn_valid("4111111111111111"));
  EXPECT_FALSE(luhn_valid("4111111111111112"));
  EXPECT_TRUE(credit_code_valid("91350100M000100Y43"));
  EXPECT_FALSE(credit_code_valid("91350100M000100Y44"));
  EXPECT_TRUE(mobile_number_valid("13812345678"));
  EXPECT_FALSE(mobile_number_valid("12812345678"));
}

std::vector<PersonalDataMatch> find(std::string_view text) {
  return find_personal_data(normalize(*testing::shared_tables(), {}, text));
}

TEST(PersonalData, FindsNumbersWrittenWithSpacesAndFullWidthDigits) {
  const std::string text =
      "我的身份证11010519491231002X，手机１３８ １２３４ ５６７８，卡号4111 1111 1111 1111。";
  const auto found = find(text);
  ASSERT_EQ(found.size(), 3U);
  std::map<PersonalDataKind, std::string> spans;
  for (const auto& f : found)
    spans[f.kind] = text.substr(f.source_begin, f.source_end - f.source_begin);
  EXPECT_EQ(spans[PersonalDataKind::kResidentId], "11010519491231002X");
  EXPECT_EQ(spans[PersonalDataKind::kMobileNumber], "１３８ １２３４ ５６７８");
  EXPECT_EQ(spans[PersonalDataKind::kBankCard], "4111 1111 1111 1111");
}

TEST(PersonalData, IgnoresNumbersThatFailTheirCheck) {
  EXPECT_TRUE(find("订单号 110105194912310021 和 4111111111111112").empty());
  EXPECT_TRUE(find("共2人 版本12345678901234567890123").empty());
  EXPECT_EQ(find("共 2 人 13812345678").size(), 1U);
  EXPECT_EQ(find("统一社会信用代码91350100M000100Y43").size(), 1U);
}

}  // namespace
}  // namespace synthgate::moderation
