#pragma once

#include <filesystem>
#include <semaphore>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "pipeline/admission_desk.hpp"
#include "pipeline/content_labeller.hpp"
#include "pipeline/pipeline_records.hpp"

namespace synthgate::pipeline {

struct OutputRequest {
  std::string admission_id;
  std::filesystem::path file;  // the model's output as it produced it (text too)
  std::string actor;           // the API key that hands it in
};

// What became of an output: labelled (the file at `labelled_path`, a content record
// stored), or refused by output moderation (nothing to return; the reasons say why).
struct OutputResult {
  bool labelled = false;
  std::vector<Reason> reasons;
  ContentRecord record;  // when labelled
  LabelOutcome outcome;  // when labelled
  std::uint64_t audit_index = 0;
};

struct OutputOptions {
  LabelPlan plan;  // producer code, wording, positions (pipeline.* configuration)
  std::string text_position = "start";  // start, end or both: the plan's position is per kind
  unsigned workers = 0;                 // engines running at once; 0: one per core
};

// Output processing: the admission is checked (exists, allowed, not expired, same
// modality), the output moderated, then labelled (visible, watermark, metadata) under a new
// content id, recorded and audited. Blocked content is never written where it could be
// returned.
class OutputDesk {
 public:
  OutputDesk(PipelineRecords& records, ModerationEngines engines, LabelKeys keys,
             audit::AuditLog& audit, const Clock& clock, IdGenerator& ids, OutputOptions options);

  // Writes the labelled file to `out` (atomically) when the output is accepted. Errors:
  // kFailedPrecondition for a missing, refused, expired or other-modality admission;
  // kUnsupportedMediaType for a file no engine reads.
  Result<OutputResult> process(const OutputRequest& request, const std::filesystem::path& out);

 private:
  Result<AdmissionRecord> valid_admission(const std::string& admission_id);
  Status moderate(const std::string& kind, const std::filesystem::path& file,
                  std::vector<Reason>& reasons);

  PipelineRecords& records_;
  ModerationEngines engines_;
  LabelKeys keys_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  IdGenerator& ids_;
  OutputOptions options_;
  // Labelling is CPU-bound: the HTTP threads (more than the cores, so that slow clients do not
  // starve others) wait here for one of `workers` engine slots.
  std::counting_semaphore<1024> slots_;
};

}  // namespace synthgate::pipeline
