#include "metadata/aigc_record.hpp"

#include <gtest/gtest.h>

#include "metadata/provider_code.hpp"

namespace synthgate::metadata {
namespace {

AigcRecord producer_record() {
  AigcRecord r;
  r.label = "1";
  r.content_producer = "001191440300708461136T1XGW3";
  r.produce_id = "01jdz3k5m8q9r7s6t5v4w3x2y1";
  return r;
}

TEST(AigcRecord, JsonKeepsAnnexEFieldOrder) {
  AigcRecord r = producer_record();
  r.reserved_code1 = "sig";
  EXPECT_EQ(
      r.to_json(),
      R"({"Label":"1","ContentProducer":"001191440300708461136T1XGW3","ProduceID":"01jdz3k5m8q9r7s6t5v4w3x2y1",)"
      R"("ReservedCode1":"sig","ContentPropagator":"","PropagateID":"","ReservedCode2":""})");
  auto back = AigcRecord::from_json(r.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r);
}

TEST(AigcRecord, ReadsTheWrappedFormAndRefusesNonObjects) {
  auto wrapped =
      AigcRecord::from_json(R"({"AIGC":{"Label":"2","ContentPropagator":"p","PropagateID":"x"}})");
  ASSERT_TRUE(wrapped);
  EXPECT_EQ(wrapped->label, "2");
  EXPECT_EQ(wrapped->content_propagator, "p");
  EXPECT_FALSE(AigcRecord::from_json("[1,2]"));
  EXPECT_FALSE(AigcRecord::from_json("{\"Label\": 1}"));
  EXPECT_FALSE(AigcRecord::from_json("not json"));
}

TEST(AigcRecord, CheckFindsErrorsAndWarnings) {
  EXPECT_TRUE(check_record(producer_record()).ok());
  EXPECT_TRUE(check_record(producer_record()).warnings.empty());

  AigcRecord bad_label = producer_record();
  bad_label.label = "4";
  EXPECT_FALSE(check_record(bad_label).ok());

  AigcRecord no_id = producer_record();
  no_id.produce_id.clear();
  EXPECT_FALSE(check_record(no_id).ok());

  AigcRecord spaces = producer_record();
  spaces.produce_id = "has space";
  EXPECT_FALSE(check_record(spaces).ok());
  AigcRecord quote = producer_record();
  quote.produce_id = "a\"b";
  EXPECT_FALSE(check_record(quote).ok());
  AigcRecord chinese = producer_record();
  chinese.content_producer = "某公司";
  EXPECT_FALSE(check_record(chinese).ok());

  AigcRecord name = producer_record();
  name.content_producer = "ExampleAI";
  const auto findings = check_record(name);
  EXPECT_TRUE(findings.ok());
  ASSERT_EQ(findings.warnings.size(), 1u);
  EXPECT_NE(findings.warnings[0].find("not a 27-character provider code"), std::string::npos);
}

TEST(ProviderCode, VerifiesTheGb32100CheckCharacter) {
  // Tencent's published credit code, inside the provider code seen in the wild.
  EXPECT_EQ(uscc_check_character("91440300708461136"), 'T');
  const auto good = check_provider_code("001191440300708461136T1XGW3");
  EXPECT_TRUE(good.is_code);
  EXPECT_TRUE(good.check_character_ok);

  const auto bad_check = check_provider_code("001191440300708461136U1XGW3");
  EXPECT_TRUE(bad_check.is_code);
  EXPECT_FALSE(bad_check.check_character_ok);  // a warning, not a refusal
  ASSERT_FALSE(bad_check.problems.empty());
  EXPECT_NE(bad_check.problems[0].find("calls for T"), std::string::npos);
}

TEST(ProviderCode, RefusesWrongShapes) {
  EXPECT_FALSE(check_provider_code("ExampleAI").is_code);
  EXPECT_FALSE(check_provider_code("011191440300708461136T1XGW3").is_code);  // not 00
  EXPECT_FALSE(check_provider_code("002191440300708461136T1XGW3").is_code);  // not 11
  EXPECT_FALSE(check_provider_code("001191440300708461136I1XGW3").is_code);  // I is not in GB 32100
  EXPECT_FALSE(check_provider_code("001191440300708461136t1XGW3").is_code);
  EXPECT_FALSE(is_uscc_shape("91440300708461136"));
}

}  // namespace
}  // namespace synthgate::metadata
