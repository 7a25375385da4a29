#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "governance/compliance_metrics.hpp"
#include "governance/compliance_tasks.hpp"
#include "governance/dataset_registry.hpp"
#include "governance/governance_records.hpp"
#include "governance/scope_assessment.hpp"
#include "reports/report_document.hpp"
#include "reports/test_results.hpp"

namespace synthgate::governance {

// Samples of each label kind for the filing (Labeling Measures Art. 12). The caller makes
// them with the labels engine, which this layer does not link.
struct LabelSamples {
  std::string text;  // a labelled answer
  Bytes image_png;   // a generated image with its visible label
  std::string image_caption;
  std::string audio;     // how the audio cue sounds and where it goes
  std::string video;     // where and how long the video label shows
  std::string metadata;  // the implicit label as written into files (AIGC JSON)
};

// What the filing says that the records cannot: config keys compliance.*.
struct FilingFacts {
  std::string algorithm_name;
  std::string algorithm_type;
  std::string complaint_channel;
};

// Everything the three documents are made of, read from the records.
struct ReportInputs {
  InventoryVersion inventory;
  ScopeAssessment scope;
  std::vector<SignOff> sign_offs;  // of this version
  std::optional<RoleAssignment> lead;
  std::optional<RoleAssignment> owner;
  ComplianceMetrics metrics;
  Thresholds thresholds;
  std::vector<ComplianceTask> tasks;
  std::vector<Dataset> datasets;
  std::optional<audit::StoredCheckpoint> checkpoint;
  FilingFacts filing;
  LabelSamples samples;
  std::optional<reports::TestRun> test_run;  // evidence for the self-assessment, when given
  TimePoint generated{};
};

// Reads the latest inventory version (or `version`) and everything else from the records.
Result<ReportInputs> gather_report_inputs(GovernanceRecords& records,
                                          std::optional<std::int64_t> version,
                                          const Thresholds& thresholds, FilingFacts filing,
                                          LabelSamples samples);

enum class ReportKind { kScope, kFiling, kSelfAssessment };
Result<ReportKind> parse_report_kind(std::string_view name);

reports::ReportDocument build_report(ReportKind kind, const ReportInputs& inputs);
// The same document as JSON (images as base64), for --format json.
nlohmann::json report_document_json(const reports::ReportDocument& document);

}  // namespace synthgate::governance
