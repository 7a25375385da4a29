#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "governance/governance_records.hpp"

namespace synthgate::governance {

// A training-data source (Provisions Art. 14; TC260-003 §5) and the result of its latest
// sampling check.
struct Dataset {
  std::string id;
  std::string source;
  std::string licence;
  std::string pi_basis;      // personal-information basis: consent, contract, none, ...
  std::string consent;       // how consent was obtained, or "not applicable"
  std::string collected_on;  // YYYY-MM-DD
  std::int64_t registered_ms = 0;
  std::optional<std::int64_t> sampled;
  std::optional<std::int64_t> flagged;  // illegal or harmful items among the sampled
  std::optional<bool> usable;
  std::optional<std::int64_t> checked_ms;
};
nlohmann::json dataset_json(const Dataset& dataset);

// TC260-003 §5: a source with more than 5% illegal or harmful content must not be used.
bool corpus_usable(std::int64_t sampled, std::int64_t flagged);

class DatasetRegistry {
 public:
  explicit DatasetRegistry(GovernanceRecords& records) : records_(records) {}

  // Every field is required; a missing one is refused naming it.
  Result<Dataset> add(Dataset dataset, const std::string& actor);
  Result<std::vector<Dataset>> list();
  Result<Dataset> get(const std::string& id);
  // Stores the result of a sampling check (the caller runs the moderation engine over the
  // sample) and audits it.
  Result<Dataset> record_check(const std::string& id, std::int64_t sampled, std::int64_t flagged,
                               const std::string& actor);

 private:
  GovernanceRecords& records_;
};

}  // namespace synthgate::governance
