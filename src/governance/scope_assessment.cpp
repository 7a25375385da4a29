#include "governance/scope_assessment.hpp"

#include <algorithm>
#include <map>

namespace synthgate::governance {

namespace {

std::vector<std::string> modalities(const Questionnaire& q) {
  std::vector<std::string> out;
  if (q.text) out.emplace_back("text");
  if (q.image) out.emplace_back("image");
  if (q.audio) out.emplace_back("audio");
  if (q.video) out.emplace_back("video");
  if (q.virtual_persons) out.emplace_back("virtual persons");
  return out;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

ScopeDecision decide(std::string kind, const std::string& id, const std::string& name,
                     const std::string& unit, const Questionnaire& q) {
  ScopeDecision d{std::move(kind), id, name, unit, false, {}, {}};
  const auto made = modalities(q);
  if (made.empty()) {
    d.reasons.emplace_back("generates or edits no text, images, audio, video or virtual persons");
  } else {
    d.reasons.push_back("generates or edits " + joined(made) +
                        " (deep synthesis, Provisions Art. 23)");
  }
  if (q.reachable_in_china) {
    d.reasons.emplace_back("reachable by users in China");
  } else {
    d.reasons.emplace_back("not reachable by users in China");
  }
  d.in_scope = !made.empty() && q.reachable_in_china;
  d.reasons.push_back("model " + q.model + " from " + q.provider);
  if (d.in_scope && q.real_person_likeness_or_voice) {
    d.findings.emplace_back(
        "uses real persons' likeness or voice: separate consent (Provisions Art. 14) and a "
        "security assessment for biometric editing (Art. 15)");
  }
  if (d.in_scope) {
    d.findings.emplace_back(
        "explicit and implicit labels required (Labeling Measures Arts. 4-5; GB 45438-2025)");
  }
  return d;
}

}  // namespace

std::size_t ScopeAssessment::in_scope_count() const {
  return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [](const auto& d) { return d.in_scope; }));
}

ScopeAssessment assess_scope(const Inventory& inv) {
  ScopeAssessment out;
  out.organisation = inv.organisation;
  std::map<std::string, std::string> unit_of_product;
  for (const auto& p : inv.products) unit_of_product[p.id] = p.unit;

  std::map<std::string, std::vector<std::string>> in_scope_features_of_product;
  for (const auto& f : inv.features) {
    auto d = decide("feature", f.id, f.name, unit_of_product[f.product], f.answers);
    if (d.in_scope) in_scope_features_of_product[f.product].push_back(f.id);
    out.items.push_back(std::move(d));
  }
  std::map<std::string, std::vector<std::string>> in_scope_of_unit;
  for (const auto& a : inv.third_party_apis) {
    auto d = decide("third_party_api", a.id, a.name, a.unit, a.answers);
    if (a.overseas) {
      if (a.domestic_representative.empty()) {
        d.findings.emplace_back(
            "overseas provider without a domestic representative or local entity: designate one "
            "before filing");
      } else {
        d.findings.push_back("overseas provider; domestic representative: " +
                             a.domestic_representative);
      }
    }
    if (d.in_scope) in_scope_of_unit[a.unit].push_back(a.id);
    out.items.push_back(std::move(d));
  }
  for (const auto& p : inv.products) {
    ScopeDecision d{"product", p.id, p.name, p.unit, false, {}, {}};
    const auto& features = in_scope_features_of_product[p.id];
    d.in_scope = !features.empty();
    d.reasons.push_back(d.in_scope ? "in-scope features: " + joined(features)
                                   : "no feature is in scope");
    if (d.in_scope) in_scope_of_unit[p.unit].push_back(p.id);
    out.items.push_back(std::move(d));
  }
  for (const auto& u : inv.units) {
    ScopeDecision d{"business_unit", u.id, u.name, u.id, false, {}, {}};
    const auto& parts = in_scope_of_unit[u.id];
    d.in_scope = !parts.empty();
    d.reasons.push_back(d.in_scope ? "in-scope products and APIs: " + joined(parts)
                                   : "no product or third-party API is in scope");
    out.units.push_back(std::move(d));
  }
  return out;
}

nlohmann::json scope_json(const ScopeAssessment& assessment) {
  const auto one = [](const ScopeDecision& d) {
    return nlohmann::json{
        {"kind", d.kind},         {"id", d.id},           {"name", d.name},        {"unit", d.unit},
        {"in_scope", d.in_scope}, {"reasons", d.reasons}, {"findings", d.findings}};
  };
  nlohmann::json out = {{"organisation", assessment.organisation},
                        {"items", nlohmann::json::array()},
                        {"units", nlohmann::json::array()}};
  for (const auto& d : assessment.items) out["items"].push_back(one(d));
  for (const auto& d : assessment.units) out["units"].push_back(one(d));
  return out;
}

}  // namespace synthgate::governance
