#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "governance/inventory.hpp"

namespace synthgate::governance {

// One decision: is this item a deep-synthesis service reaching users in China (Deep Synthesis
// Provisions Art. 23; Labeling Measures Art. 2), and why.
struct ScopeDecision {
  std::string kind;  // business_unit, product, feature, third_party_api
  std::string id;
  std::string name;
  std::string unit;  // the business unit it belongs to
  bool in_scope = false;
  std::vector<std::string> reasons;
  // Duties the answers trigger: separate consent, overseas representative missing, ...
  std::vector<std::string> findings;
};

struct ScopeAssessment {
  std::string organisation;
  std::vector<ScopeDecision> items;  // features and APIs, then products, then units
  std::vector<ScopeDecision> units;
  std::size_t in_scope_count() const;
};

// Decides every item from its answers: an item is in scope when it generates or edits text,
// images, audio, video or virtual persons and users in China reach it; a product when one of
// its features is, a business unit when one of its products or APIs is.
ScopeAssessment assess_scope(const Inventory& inventory);
nlohmann::json scope_json(const ScopeAssessment& assessment);

}  // namespace synthgate::governance
