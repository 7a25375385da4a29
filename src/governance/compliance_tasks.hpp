#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/checkpoint.hpp"
#include "governance/compliance_metrics.hpp"
#include "governance/governance_records.hpp"

namespace synthgate::governance {

// A duty with an owner and a due date: a filing after a threshold was crossed, the quarterly
// log-completeness verification.
struct ComplianceTask {
  std::string id;
  std::string kind;     // security_assessment_filing, log_completeness
  std::string subject;  // the metric, or the quarter ("2026-Q3")
  std::string title;
  Role owner = Role::kComplianceLead;
  std::int64_t created_ms = 0;
  std::int64_t due_ms = 0;
  std::optional<std::int64_t> done_ms;
  std::string done_by;
  std::optional<nlohmann::json> result;
  bool overdue(std::int64_t now_ms) const { return !done_ms && due_ms < now_ms; }
};
nlohmann::json task_json(const ComplianceTask& task, std::int64_t now_ms);

struct ThresholdAlert {
  ThresholdCrossing crossing;
  std::string task_id;
  std::uint64_t audit_index = 0;
};

// The tasks and alerts tables. Opening a task, raising an alert and finishing a task are
// audit events (kOperatorNote, details.action = compliance_*).
class ComplianceTasks {
 public:
  explicit ComplianceTasks(GovernanceRecords& records) : records_(records) {}

  // One task per (kind, subject): opening it again returns the one there is.
  Result<ComplianceTask> open(const std::string& kind, const std::string& subject,
                              const std::string& title, Role owner, std::int64_t due_ms);
  Result<std::vector<ComplianceTask>> list(bool open_only = false);
  Result<ComplianceTask> task(const std::string& id);

  // Raises an alert and opens a filing task (due in 30 days) for every threshold crossed that
  // has no alert yet; returns the new alerts only.
  Result<std::vector<ThresholdAlert>> raise_alerts(const ComplianceMetrics& metrics,
                                                   const Thresholds& thresholds);
  // Every open task past its due date; the first time one is seen overdue, an alert is
  // audited for it.
  Result<std::vector<ComplianceTask>> overdue();

  // Opens the log-completeness task for the last quarter that has ended (due 30 days after
  // it), owned by the data-governance owner.
  Result<ComplianceTask> schedule_log_completeness();
  // The data-governance owner verifies the whole log and summarises the quarter; the task is
  // done (with the report as its result) only when the log verifies.
  Result<ComplianceTask> verify_log_completeness(const std::string& task_id,
                                                 const std::string& person,
                                                 const audit::VerifierKey& key);

 private:
  Result<ComplianceTask> finish(const ComplianceTask& task, const std::string& person,
                                const nlohmann::json& result);
  GovernanceRecords& records_;
};

// [from, to) of a quarter named "YYYY-Qn".
Result<std::pair<TimePoint, TimePoint>> quarter_bounds(const std::string& quarter);

}  // namespace synthgate::governance
