#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace synthgate::governance {

// What the gateway's own records say about the service's reach (issue #11, thresholds).
// Days and months are UTC calendar days and months containing `as_of`.
struct ComplianceMetrics {
  std::int64_t as_of_ms = 0;
  std::int64_t registered_users = 0;                // identity_users
  std::int64_t verified_users = 0;                  // identity_users in state verified
  std::int64_t daily_active_users = 0;              // distinct users admitted on the day of as_of
  std::int64_t monthly_active_users = 0;            // ... in its month
  std::map<std::string, std::int64_t> generations;  // content_records by modality, all time
  std::int64_t generations_total = 0;
  std::int64_t complaints = 0;
  std::map<std::string, std::int64_t> complaints_by_category;
  std::vector<std::string> notes;  // what could not be counted, and why
};

// Reads identity_users, pipeline_admissions, content_records and complaints. A missing
// complaints table (the complaints module not installed) counts 0 with a note.
Result<ComplianceMetrics> gather_metrics(store::Store& store, TimePoint as_of);
nlohmann::json metrics_json(const ComplianceMetrics& metrics);

// Significant-influence thresholds (config keys compliance.*; 0 turns one off). Crossing one
// means the CAC security assessment and the algorithm filing (Provisions Arts. 19-20) are due.
struct Thresholds {
  std::int64_t registered_users = 0;
  std::int64_t verified_users = 0;
  std::int64_t daily_active_users = 0;
  std::int64_t monthly_active_users = 0;
  std::int64_t generations_total = 0;
};

struct ThresholdCrossing {
  std::string metric;  // registered_users, daily_active_users, ...
  std::int64_t value = 0;
  std::int64_t threshold = 0;
};

// Every threshold reached or exceeded, in a fixed order.
std::vector<ThresholdCrossing> crossed_thresholds(const ComplianceMetrics& metrics,
                                                  const Thresholds& thresholds);

}  // namespace synthgate::governance
