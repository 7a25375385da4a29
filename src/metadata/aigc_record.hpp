#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace synthgate::metadata {

// The GB 45438-2025 Annex E implicit label: the `AIGC` JSON object with seven string fields.
struct AigcRecord {
  std::string label;               // "1" generated, "2" possibly generated, "3" suspected
  std::string content_producer;    // provider's code (27 characters) or configured name
  std::string produce_id;          // provider's content id
  std::string reserved_code1;      // provider's integrity data (SynthGate: a signature)
  std::string content_propagator;  // distribution platform's code or name
  std::string propagate_id;        // platform's content id
  std::string reserved_code2;      // platform's integrity data

  friend bool operator==(const AigcRecord&, const AigcRecord&) = default;

  // {"Label":"1","ContentProducer":...} in Annex E field order, fields without a value
  // written as "", as the standard's examples do.
  std::string to_json() const;
  // Reads the object itself or one wrapped as {"AIGC": {...}}; unknown keys are ignored,
  // missing ones read as "". Refuses what is not a JSON object of strings.
  static Result<AigcRecord> from_json(std::string_view text);
};

// What is wrong with a record under Annex E's rules: errors make it unwritable; warnings
// (a free-text name where a code is expected, a code whose check character fails) are
// reported but allowed.
struct RecordFindings {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  bool ok() const { return errors.empty(); }
};

RecordFindings check_record(const AigcRecord& record);

}  // namespace synthgate::metadata
