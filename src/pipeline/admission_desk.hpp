#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "consent/consent_registry.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "identity/user_registry.hpp"
#include "moderation/active_blocklist.hpp"
#include "moderation/active_lexicon.hpp"
#include "pipeline/pipeline_records.hpp"
#include "pipeline/text_classifier.hpp"

namespace synthgate::pipeline {

// "text", "image", "audio", "video": what an admitted generation will output.
bool is_output_modality(std::string_view name);

// A real person whose likeness the generation uses, and what of it ("face", "voice", ...).
struct PersonUse {
  std::string subject_id;
  std::vector<std::string> modalities;
};

struct AdmissionRequest {
  std::string user_id;
  std::string service;   // the provider's service (consents name the services they cover)
  std::string modality;  // of the output
  std::string prompt;
  std::vector<PersonUse> persons;
  std::vector<std::filesystem::path> reference_images;  // uploads, checked against the blocklist
  std::string actor;                                    // the API key that asks
};

struct AdmissionOptions {
  std::chrono::seconds ticket_lifetime{3600};  // outputs are accepted this long after
  bool review_blocks_output = true;            // a review decision holds outputs until cleared
};

// The moderation engines the desks use; either may be absent (no lexicon, no blocklist
// configured or taken down into), and then that check is reported as not run rather than
// passed silently. The blocklist is live: takedowns add to it while the gateway runs. The
// classifier is the provider's own model (moderation.classifier_url), consulted for prompts
// and text outputs when set.
struct ModerationEngines {
  const moderation::ActiveLexicon* lexicon = nullptr;
  const moderation::ActiveBlocklist* blocklist = nullptr;
  const TextClassifier* classifier = nullptr;
};

// Admission: identity gate, consent gate, prompt moderation (text, and PDQ of reference
// images) → allow, review or block with every reason. Every decision, allow included, is an
// audit entry and a row in pipeline_admissions before it is answered.
class AdmissionDesk {
 public:
  AdmissionDesk(PipelineRecords& records, identity::UserRegistry& users,
                consent::ConsentRegistry& consents, ModerationEngines engines,
                audit::AuditLog& audit, const Clock& clock, IdGenerator& ids,
                AdmissionOptions options = {});

  // A bad request (unknown modality, empty prompt) is an error and records nothing; a
  // refusal is a record with decision block.
  Result<AdmissionRecord> admit(const AdmissionRequest& request);

 private:
  Status check_identity(const AdmissionRequest& request, std::vector<Reason>& reasons);
  Status check_consent(const AdmissionRequest& request, std::vector<Reason>& reasons,
                       std::vector<std::string>& consent_ids);
  Status check_prompt(const AdmissionRequest& request, std::vector<Reason>& reasons);
  Status check_reference_images(const AdmissionRequest& request, std::vector<Reason>& reasons);

  PipelineRecords& records_;
  identity::UserRegistry& users_;
  consent::ConsentRegistry& consents_;
  ModerationEngines engines_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  IdGenerator& ids_;
  AdmissionOptions options_;
};

// block when any reason blocks, review when any holds, allow otherwise.
std::string decide(const std::vector<Reason>& reasons);

}  // namespace synthgate::pipeline
