#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace synthgate::pipeline {

// Why an admission was refused or held: a machine-readable code, a sentence for people, and
// the facts behind it (a term and its category, a subject and modality, ...).
struct Reason {
  std::string code;    // user_not_verified, consent_missing, prompt_blocked, ...
  std::string action;  // block, review or note (a check that did not run, a masked value)
  std::string message;
  std::vector<std::pair<std::string, std::string>> detail;
  friend bool operator==(const Reason&, const Reason&) = default;
};

// Reasons as the API answers and the records store them:
// [{"code", "action", "message", "detail": {key: value}}].
nlohmann::json reasons_json(const std::vector<Reason>& reasons);

// One admission decision: the ticket an output must present.
struct AdmissionRecord {
  std::string id;
  std::string user_id;
  std::string service;
  std::string modality;  // text, image, audio or video: what the output will be
  std::string decision;  // allow, review or block
  std::vector<Reason> reasons;
  std::string prompt_sha256;
  std::vector<std::string> consent_ids;  // the consents that allowed the persons used
  std::string actor;                     // the API key (or operator) that asked
  std::int64_t created_ms = 0;
  std::int64_t expires_ms = 0;  // outputs are refused after this
  std::uint64_t audit_index = 0;
};

// One labelled output: what ties a file found later back to its admission and its user.
struct ContentRecord {
  std::string id;  // the content id: ProduceID of the metadata label
  std::string admission_id;
  std::string user_id;
  std::string service;
  std::string modality;
  std::string format;
  std::string input_sha256;                      // as the model produced it
  std::string output_sha256;                     // as returned, labelled
  std::optional<std::string> pdq;                // hex, images
  std::optional<std::string> watermark_payload;  // 16 hex digits, when watermarked
  std::vector<std::string> labels;               // visible, watermark, metadata
  std::optional<std::string> aigc;               // the metadata record as written (JSON)
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> revoked_ms;  // taken down
  std::string revoke_reason;
  std::uint64_t audit_index = 0;
};

// The pipeline's two tables. Rows are written once and never rewritten, except a content
// record's revocation.
class PipelineRecords {
 public:
  explicit PipelineRecords(store::Store& store) : store_(store) {}

  // The audit entry is appended first and its index stored with the row: a decision that
  // could not be audited is never issued.
  Status add_admission(const AdmissionRecord& record);
  Result<AdmissionRecord> admission(std::string_view id);

  Status add_content(const ContentRecord& record);
  Result<ContentRecord> content(std::string_view id);
  // Records whose watermark carries `payload_hex` (one, unless 64 bits ever collide).
  Result<std::vector<ContentRecord>> contents_by_watermark(std::string_view payload_hex);
  Result<std::vector<ContentRecord>> contents_of_admission(std::string_view admission_id);
  // Takes content down (the caller audits it first). Refused (kFailedPrecondition) when it
  // already is: the first revocation's time and reason stay.
  Status revoke_content(std::string_view id, std::int64_t revoked_ms, std::string_view reason);

  store::Store& store() { return store_; }

 private:
  store::Store& store_;
};

const store::MigrationSet& pipeline_migrations();

}  // namespace synthgate::pipeline
