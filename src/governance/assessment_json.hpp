#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "governance/compliance_metrics.hpp"
#include "governance/compliance_tasks.hpp"
#include "governance/governance_records.hpp"
#include "governance/scope_assessment.hpp"

namespace synthgate::governance {

// One assessment as `synthgate compliance assess --json` and GET /v1/compliance/assessment
// answer it: the scope of an inventory version, its metrics, the alerts raised, who signed.
nlohmann::json assessment_json(const InventoryVersion& version, const ScopeAssessment& scope,
                               const ComplianceMetrics& metrics,
                               const std::vector<ThresholdAlert>& alerts,
                               const std::vector<SignOff>& sign_offs);

}  // namespace synthgate::governance
