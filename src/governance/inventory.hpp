#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::governance {

// The questionnaire every feature and third-party API answers. Every answer is required: a
// missing one is an error naming the item, never a silent "no".
struct Questionnaire {
  bool text = false;  // generates or edits text
  bool image = false;
  bool audio = false;
  bool video = false;
  bool virtual_persons = false;
  bool reachable_in_china = false;
  bool real_person_likeness_or_voice = false;
  std::string model;
  std::string provider;
  friend bool operator==(const Questionnaire&, const Questionnaire&) = default;
};

struct BusinessUnit {
  std::string id;
  std::string name;
};

struct Product {
  std::string id;
  std::string name;
  std::string unit;  // a business unit id
};

struct Feature {
  std::string id;
  std::string name;
  std::string product;  // a product id
  Questionnaire answers;
};

// An outside model or AI API the organisation calls. Overseas providers need a domestic
// representative or local entity, printed in filings.
struct ThirdPartyApi {
  std::string id;
  std::string name;
  std::string unit;                  // the business unit that uses it
  std::vector<std::string> used_by;  // feature ids (may be empty)
  bool overseas = false;
  std::string domestic_representative;  // required when overseas
  Questionnaire answers;
};

// Business units -> products -> features, and the third-party APIs each unit uses.
struct Inventory {
  std::string organisation;
  std::vector<BusinessUnit> units;
  std::vector<Product> products;
  std::vector<Feature> features;
  std::vector<ThirdPartyApi> third_party_apis;
};

// Reads the JSON form (docs/compliance.md). Refuses, naming the item, an inventory that
// references an unknown unit, product or feature, repeats an id, or leaves an answer out.
Result<Inventory> parse_inventory(const nlohmann::json& document);
Result<Inventory> parse_inventory_text(std::string_view text);
// The same JSON form, keys in a fixed order, so equal inventories give equal text.
nlohmann::json inventory_json(const Inventory& inventory);

}  // namespace synthgate::governance
