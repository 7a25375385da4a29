#include "governance/assessment_json.hpp"

namespace synthgate::governance {

nlohmann::json assessment_json(const InventoryVersion& version, const ScopeAssessment& scope,
                               const ComplianceMetrics& metrics,
                               const std::vector<ThresholdAlert>& alerts,
                               const std::vector<SignOff>& sign_offs) {
  nlohmann::json out = scope_json(scope);
  out["version"] = version.version;
  out["sha256"] = version.sha256;
  out["metrics"] = metrics_json(metrics);
  out["alerts"] = nlohmann::json::array();
  for (const auto& a : alerts) {
    out["alerts"].push_back({{"metric", a.crossing.metric},
                             {"value", a.crossing.value},
                             {"threshold", a.crossing.threshold},
                             {"task_id", a.task_id}});
  }
  out["signed_by"] = nlohmann::json::array();
  for (const auto& sign : sign_offs) out["signed_by"].push_back(sign.signer);
  return out;
}

}  // namespace synthgate::governance
