#include "identity/identity_value.hpp"

#include <gtest/gtest.h>

#include "identity/division_codes.hpp"

namespace synthgate::identity {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

const year_month_day kToday{year(2026), month(11), day(28)};

// 17 digits plus the check character MOD 11-2 calls for.
std::string with_check(const std::string& first17) {
  return first17 + mod11_2_check(first17);
}

ValueCheck check(std::string_view value, std::optional<ValueKind> kind = std::nullopt) {
  return check_value(value, kind, kToday);
}

TEST(ResidentId, StandardExampleIsValid) {
  const auto c = check("11010519491231002X");
  EXPECT_TRUE(c.valid) << (c.errors.empty() ? "" : c.errors.front());
  EXPECT_EQ(c.kind, ValueKind::kResidentId);
  ASSERT_TRUE(c.holder);
  EXPECT_EQ(c.holder->birth_date, (year_month_day{year(1949), month(12), day(31)}));
  EXPECT_FALSE(c.holder->male);  // sequence 002 is even
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ResidentId, LowerCaseXAndSpacesAreNormalised) {
  const auto c = check(" 110105 19491231 002x ");
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.normalized, "11010519491231002X");
}

TEST(ResidentId, WrongCheckCharacterIsRefused) {
  const auto c = check("110105194912310021");
  EXPECT_FALSE(c.valid);
  ASSERT_FALSE(c.errors.empty());
  EXPECT_NE(c.errors.front().find("MOD 11-2 gives X"), std::string::npos) << c.errors.front();
}

TEST(ResidentId, CheckDigitWeightsCatchEverySingleDigitChange) {
  const std::string valid = "11010519491231002X";
  for (std::size_t i = 0; i < 17; ++i) {
    std::string changed = valid;
    changed[i] = changed[i] == '9' ? '0' : static_cast<char>(changed[i] + 1);
    EXPECT_NE(mod11_2_check(changed.substr(0, 17)), 'X') << "position " << i;
  }
}

TEST(ResidentId, ImpossibleAndFutureBirthDatesAreRefused) {
  auto feb30 = check(with_check("11010519490230002"), ValueKind::kResidentId);
  EXPECT_FALSE(feb30.valid);
  EXPECT_NE(feb30.errors.front().find("not a calendar date"), std::string::npos);
  auto leap = check(with_check("11010520000229002"));
  EXPECT_TRUE(leap.valid);
  auto not_leap = check(with_check("11010519000229002"), ValueKind::kResidentId);
  EXPECT_FALSE(not_leap.valid);
  auto future = check(with_check("11010520270101002"), ValueKind::kResidentId);
  EXPECT_FALSE(future.valid);
  EXPECT_NE(future.errors.front().find("future"), std::string::npos);
  auto month13 = check(with_check("11010519901301002"), ValueKind::kResidentId);
  EXPECT_FALSE(month13.valid);
}

TEST(ResidentId, AbolishedDivisionCodesStillValidate) {
  // 110103 (Chongwen) and 110104 (Xuanwu) were merged into other districts in 2010.
  EXPECT_EQ(match_division_code("110103"), DivisionMatch::kCounty);
  auto c = check(with_check("11010319800101001"));
  EXPECT_TRUE(c.valid);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ResidentId, UnknownProvinceIsRefusedUnknownCountyWarned) {
  auto c = check(with_check("99010519800101001"), ValueKind::kResidentId);
  EXPECT_FALSE(c.valid);
  EXPECT_NE(c.errors.front().find("no division list"), std::string::npos);
  // 110199: Beijing's prefecture exists, the county was in no list up to 2019-04.
  EXPECT_EQ(match_division_code("110199"), DivisionMatch::kPrefecture);
  auto county = check(with_check("11019919800101001"));
  EXPECT_TRUE(county.valid);
  ASSERT_EQ(county.warnings.size(), 1u);
  EXPECT_NE(county.warnings.front().find("110199"), std::string::npos);
  EXPECT_EQ(match_division_code("00000a"), DivisionMatch::kUnknown);
}

TEST(ResidentId, BundledListHoldsEveryProvince) {
  EXPECT_GT(division_code_count(), 7000u);
  for (const char* p :
       {"110000", "310000", "440000", "460000", "500000", "650000", "710000", "810000", "820000"}) {
    EXPECT_EQ(match_division_code(p), DivisionMatch::kCounty) << p;
  }
}

TEST(ResidentId, LettersAndWrongLengthsAreRefused) {
  EXPECT_FALSE(check("1101051949123100AX", ValueKind::kResidentId).valid);
  EXPECT_FALSE(check("11010519491231002", ValueKind::kResidentId).valid);
  EXPECT_FALSE(check("", std::nullopt).valid);
  EXPECT_EQ(check("", std::nullopt).kind, ValueKind::kUnknown);
}

TEST(LegacyResidentId, FifteenDigitsWithCenturyAdded) {
  auto c = check("110105491231002");
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.kind, ValueKind::kLegacyResidentId);
  ASSERT_TRUE(c.holder);
  EXPECT_EQ(c.holder->birth_date, (year_month_day{year(1949), month(12), day(31)}));
  EXPECT_FALSE(check("110105491331002").valid);  // month 13
  EXPECT_FALSE(check("990105491231002").valid);  // no such province
  EXPECT_FALSE(check("11010549123100A").valid);  // a letter
}

TEST(Permits, HongKongMacaoTaiwanResidencePermit) {
  auto hk = check(with_check("81000019900101001"));
  EXPECT_TRUE(hk.valid);
  EXPECT_EQ(hk.kind, ValueKind::kHmtResidencePermit);
  auto tw = check(with_check("83000019900101002"));
  EXPECT_TRUE(tw.valid);
  std::string wrong = with_check("81000019900101001");
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_FALSE(check(wrong, ValueKind::kHmtResidencePermit).valid);
  // A resident ID may not carry a permit's address code.
  EXPECT_FALSE(check(with_check("81000019900101001"), ValueKind::kResidentId).valid);
}

TEST(Permits, ForeignPermanentResidentId2023) {
  auto c = check(with_check("91115619900101001"));
  EXPECT_TRUE(c.valid) << (c.errors.empty() ? "" : c.errors.front());
  EXPECT_EQ(c.kind, ValueKind::kForeignPermanentId);
  EXPECT_FALSE(check(with_check("99915619900101001"), ValueKind::kForeignPermanentId).valid);
  EXPECT_FALSE(check(with_check("91115619901301001"), ValueKind::kForeignPermanentId).valid);
}

TEST(Permits, TravelPermitsAreShapeChecked) {
  EXPECT_TRUE(check("H12345678").valid);
  EXPECT_EQ(check("H12345678").kind, ValueKind::kHkMacaoTravelPermit);
  EXPECT_TRUE(check("M1234567801").valid);
  EXPECT_FALSE(check("X12345678", ValueKind::kHkMacaoTravelPermit).valid);
  EXPECT_TRUE(check("12345678").valid);
  EXPECT_EQ(check("12345678").kind, ValueKind::kTaiwanTravelPermit);
  EXPECT_FALSE(check("1234567A", ValueKind::kTaiwanTravelPermit).valid);
}

TEST(Mobile, ElevenDigitsStartingWith13To19) {
  auto c = check("13800138000");
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.kind, ValueKind::kMobileNumber);
  auto plus = check("+86 138-0013-8000");
  EXPECT_TRUE(plus.valid);
  EXPECT_EQ(plus.normalized, "13800138000");
  EXPECT_TRUE(check("19912345678").valid);
  EXPECT_FALSE(check("12345678901", ValueKind::kMobileNumber).valid);
  EXPECT_FALSE(check("1380013800", ValueKind::kMobileNumber).valid);
  EXPECT_FALSE(check("1380013800a", ValueKind::kMobileNumber).valid);
}

TEST(CreditCode, CheckFailureIsAWarning) {
  auto good = check("91440300708461136T");
  EXPECT_TRUE(good.valid);
  EXPECT_EQ(good.kind, ValueKind::kCreditCode);
  EXPECT_TRUE(good.warnings.empty());
  // An early pilot code: legal, yet its check character computes to 1.
  auto pilot = check("91350100M0001TGQXM");
  EXPECT_TRUE(pilot.valid);
  ASSERT_FALSE(pilot.warnings.empty());
  EXPECT_NE(pilot.warnings.front().find("GB 32100 gives 1"), std::string::npos);
  EXPECT_FALSE(check("91440300708461136I", ValueKind::kCreditCode).valid);  // I is not used
  EXPECT_FALSE(check("9144030070846113", ValueKind::kCreditCode).valid);
}

TEST(Kinds, NamesRoundTrip) {
  for (auto k : {ValueKind::kResidentId, ValueKind::kMobileNumber, ValueKind::kCreditCode,
                 ValueKind::kForeignPermanentId}) {
    EXPECT_EQ(parse_kind(kind_name(k)), k);
  }
  EXPECT_FALSE(parse_kind("passport"));
}

TEST(Age, WholeYearsInChina) {
  const year_month_day birth{year(2012), month(11), day(29)};
  EXPECT_EQ(age_on(birth, kToday), 13);
  EXPECT_EQ(age_on(birth, year_month_day{year(2026), month(11), day(29)}), 14);
  // 2026-11-28 17:00 UTC is already the 29th in China.
  const auto t = std::chrono::sys_days(kToday) + std::chrono::hours(17);
  EXPECT_EQ(china_date(t), (year_month_day{year(2026), month(11), day(29)}));
}

}  // namespace
}  // namespace synthgate::identity
