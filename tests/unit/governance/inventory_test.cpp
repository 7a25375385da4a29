#include "governance/inventory.hpp"

#include <gtest/gtest.h>

#include "governance/scope_assessment.hpp"
#include "unit/governance/governance_fixture.hpp"

namespace synthgate::governance {
namespace {

using json = nlohmann::json;

json sample_json() {
  return json::parse(sample_inventory_text());
}

std::string refusal(const json& document) {
  auto parsed = parse_inventory(document);
  EXPECT_FALSE(parsed);
  if (parsed) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  return parsed.error().message;
}

TEST(Inventory, SampleReadsAndWritesBackTheSame) {
  auto inventory = parse_inventory(sample_json());
  ASSERT_TRUE(inventory) << inventory.error().message;
  EXPECT_EQ(inventory->units.size(), 3u);
  EXPECT_EQ(inventory->products.size(), 3u);
  EXPECT_EQ(inventory->features.size(), 4u);
  ASSERT_EQ(inventory->third_party_apis.size(), 1u);
  EXPECT_TRUE(inventory->third_party_apis[0].overseas);
  EXPECT_EQ(inventory->third_party_apis[0].answers.provider, "VoiceCloud Inc.");
  auto again = parse_inventory(inventory_json(*inventory));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(inventory_json(*again), inventory_json(*inventory));
}

TEST(Inventory, UnknownUnitIsRefusedNamingTheItem) {
  json doc = sample_json();
  doc["products"][1]["unit"] = "bu-nowhere";
  const auto message = refusal(doc);
  EXPECT_NE(message.find("product p-avatar"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown business unit \"bu-nowhere\""), std::string::npos) << message;

  doc = sample_json();
  doc["third_party_apis"][0]["unit"] = "bu-x";
  EXPECT_NE(refusal(doc).find("third-party API api-voice: unknown business unit"),
            std::string::npos);
  doc = sample_json();
  doc["features"][0]["product"] = "p-none";
  EXPECT_NE(refusal(doc).find("feature f-chat: unknown product"), std::string::npos);
  doc = sample_json();
  doc["third_party_apis"][0]["used_by"] = {"f-ghost"};
  EXPECT_NE(refusal(doc).find("api-voice: \"used_by\" names an unknown feature"),
            std::string::npos);
}

TEST(Inventory, MissingAnswersAreRefusedNamingItemAndQuestion) {
  json doc = sample_json();
  doc["features"][2]["questionnaire"].erase("reachable_in_china");
  doc["features"][2]["questionnaire"].erase("model");
  const auto message = refusal(doc);
  EXPECT_NE(message.find("feature f-avatar"), std::string::npos) << message;
  EXPECT_NE(message.find("no answer for reachable_in_china, model"), std::string::npos) << message;

  doc = sample_json();
  doc["third_party_apis"][0].erase("questionnaire");
  EXPECT_NE(refusal(doc).find("api-voice: missing \"questionnaire\""), std::string::npos);
  doc = sample_json();
  doc["features"][1]["questionnaire"]["image"] = "yes";
  EXPECT_NE(refusal(doc).find("f-poster: questionnaire answer \"image\" must be true or false"),
            std::string::npos);
  doc = sample_json();
  doc["products"].push_back({{"id", "p-chat"}, {"name", "again"}, {"unit", "bu-consumer"}});
  EXPECT_NE(refusal(doc).find("the id \"p-chat\" is used twice"), std::string::npos);
  EXPECT_NE(parse_inventory_text("{not json").error().message.find("not valid JSON"),
            std::string::npos);
}

TEST(Scope, DecisionsHaveReasonsPerItemAndUnit) {
  auto inventory = parse_inventory(sample_json());
  ASSERT_TRUE(inventory);
  const auto scope = assess_scope(*inventory);
  std::map<std::string, ScopeDecision> by_id;
  for (const auto& d : scope.items) by_id[d.id] = d;
  for (const auto& d : scope.units) by_id[d.id] = d;

  EXPECT_TRUE(by_id["f-chat"].in_scope);
  EXPECT_EQ(by_id["f-chat"].reasons[0],
            "generates or edits text (deep synthesis, Provisions Art. 23)");
  EXPECT_FALSE(by_id["f-rank"].in_scope);
  EXPECT_EQ(by_id["f-rank"].reasons[1], "not reachable by users in China");
  EXPECT_TRUE(by_id["p-chat"].in_scope);
  EXPECT_EQ(by_id["p-chat"].reasons[0], "in-scope features: f-chat, f-poster");
  EXPECT_FALSE(by_id["p-search"].in_scope);
  EXPECT_TRUE(by_id["api-voice"].in_scope);
  EXPECT_TRUE(by_id["bu-consumer"].in_scope);
  EXPECT_TRUE(by_id["bu-media"].in_scope);
  EXPECT_EQ(by_id["bu-media"].reasons[0], "in-scope products and APIs: api-voice, p-avatar");
  EXPECT_FALSE(by_id["bu-internal"].in_scope);
  EXPECT_EQ(scope.in_scope_count(), 6u);  // 4 features/APIs + 2 products

  // Real persons' likeness: the consent duty is named; the overseas API its representative.
  const auto& avatar = by_id["f-avatar"].findings;
  EXPECT_NE(avatar[0].find("separate consent (Provisions Art. 14)"), std::string::npos);
  bool representative = false;
  for (const auto& f : by_id["api-voice"].findings) {
    representative = representative || f.find("domestic representative: 示例（上海）") == 0 ||
                     f.find("domestic representative: 示例") != std::string::npos;
  }
  EXPECT_TRUE(representative);
}

TEST(Scope, OverseasProviderWithoutRepresentativeIsAFinding) {
  json doc = sample_json();
  doc["third_party_apis"][0]["domestic_representative"] = "";
  auto inventory = parse_inventory(doc);
  ASSERT_TRUE(inventory) << inventory.error().message;
  const auto scope = assess_scope(*inventory);
  const auto it = std::find_if(scope.items.begin(), scope.items.end(),
                               [](const auto& d) { return d.id == "api-voice"; });
  ASSERT_NE(it, scope.items.end());
  EXPECT_NE(it->findings.back().find("without a domestic representative"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::governance
