#include "pipeline/admission_desk.hpp"

#include <algorithm>

#include "core/digest.hpp"
#include "core/file_io.hpp"
#include "moderation/image_moderation.hpp"
#include "pipeline/moderation_reasons.hpp"

namespace synthgate::pipeline {

namespace {

constexpr std::size_t kMaxReferenceImageBytes = std::size_t{64} << 20;

std::string hex_digest(std::string_view text) {
  const auto digest = sha256(as_bytes(text));
  return hex_encode(digest);
}

Reason reason(std::string code, std::string action, std::string message,
              std::vector<std::pair<std::string, std::string>> detail = {}) {
  return Reason{std::move(code), std::move(action), std::move(message), std::move(detail)};
}

}  // namespace

bool is_output_modality(std::string_view name) {
  return name == "text" || name == "image" || name == "audio" || name == "video";
}

std::string decide(const std::vector<Reason>& reasons) {
  const auto has = [&](std::string_view action) {
    return std::any_of(reasons.begin(), reasons.end(),
                       [&](const Reason& r) { return r.action == action; });
  };
  if (has("block")) return "block";
  if (has("review")) return "review";
  return "allow";
}

AdmissionDesk::AdmissionDesk(PipelineRecords& records, identity::UserRegistry& users,
                             consent::ConsentRegistry& consents, ModerationEngines engines,
                             audit::AuditLog& audit, const Clock& clock, IdGenerator& ids,
                             AdmissionOptions options)
    : records_(records),
      users_(users),
      consents_(consents),
      engines_(std::move(engines)),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      options_(options) {}

Status AdmissionDesk::check_identity(const AdmissionRequest& request,
                                     std::vector<Reason>& reasons) {
  auto user = users_.get(request.user_id);
  if (!user) {
    if (user.error().code != ErrorCode::kNotFound) return tl::unexpected(user.error());
    reasons.push_back(reason("user_unknown", "block",
                             "no registered user " + request.user_id +
                                 ": users register and verify their real identity first "
                                 "(Provisions Art. 9)"));
    return {};
  }
  auto allowed = users_.can_generate(request.user_id);
  if (!allowed) return tl::unexpected(allowed.error());
  if (*allowed) return {};
  const std::string state(identity::user_state_name(user->state));
  if (user->state == identity::UserState::kSuspended) {
    reasons.push_back(
        reason("user_suspended", "block", "the user is suspended", {{"state", state}}));
  } else {
    reasons.push_back(
        reason("user_not_verified", "block",
               "the user's real identity is not verified (state " + state + "; Provisions Art. 9)",
               {{"state", state}}));
  }
  return {};
}

Status AdmissionDesk::check_consent(const AdmissionRequest& request, std::vector<Reason>& reasons,
                                    std::vector<std::string>& consent_ids) {
  for (const auto& person : request.persons) {
    for (const auto& modality : person.modalities) {
      consent::CheckRequest check;
      check.subjects = {person.subject_id};
      check.modality = modality;
      check.service = request.service;
      check.user = request.user_id;
      check.time = clock_.now();
      auto result = consents_.check(check);
      if (!result) return tl::unexpected(result.error());
      for (const auto& id : result->consent_ids) consent_ids.push_back(id);
      for (const auto& missing : result->missing) {
        reasons.push_back(reason("consent_missing", "block",
                                 "no valid consent of subject " + missing.subject_id +
                                     " for their " + missing.modality + " (" + missing.reason +
                                     "; Provisions Art. 14)",
                                 {{"subject_id", missing.subject_id},
                                  {"modality", missing.modality},
                                  {"why", missing.reason}}));
      }
    }
  }
  std::sort(consent_ids.begin(), consent_ids.end());
  consent_ids.erase(std::unique(consent_ids.begin(), consent_ids.end()), consent_ids.end());
  return {};
}

Status AdmissionDesk::check_prompt(const AdmissionRequest& request, std::vector<Reason>& reasons) {
  if (engines_.classifier != nullptr) {
    add_classifier_reasons(engines_.classifier->classify(request.prompt, "prompt"), "prompt",
                           "the prompt", reasons);
  }
  if (engines_.lexicon == nullptr) {
    reasons.push_back(reason("lexicon_not_configured", "note",
                             "no keyword lexicon is configured (moderation.lexicons): the "
                             "prompt was not checked against one"));
    return {};
  }
  auto moderator = engines_.lexicon->current();
  if (moderator->term_count() == 0) {
    reasons.push_back(reason("lexicon_not_configured", "note",
                             "the lexicon has no terms (moderation.lexicons): only personal data "
                             "was looked for"));
  }
  auto decision = moderator->check(request.prompt);
  if (!decision) return tl::unexpected(decision.error());
  for (const auto& m : decision->matches) {
    const std::string action = m.action == moderation::MatchAction::kBlock    ? "block"
                               : m.action == moderation::MatchAction::kReview ? "review"
                                                                              : "note";
    const std::string code = m.personal_data     ? "prompt_personal_data"
                             : action == "block" ? "prompt_blocked"
                                                 : "prompt_review";
    reasons.push_back(text_match_reason(m, code, action, "the prompt"));
  }
  return {};
}

Status AdmissionDesk::check_reference_images(const AdmissionRequest& request,
                                             std::vector<Reason>& reasons) {
  if (request.reference_images.empty()) return {};
  const auto blocklist = engines_.blocklist ? engines_.blocklist->current() : nullptr;
  if (!blocklist) {
    reasons.push_back(reason("blocklist_not_configured", "note",
                             "no image hash blocklist is configured (moderation.blocklist): "
                             "reference images were not checked against one"));
    return {};
  }
  for (std::size_t i = 0; i < request.reference_images.size(); ++i) {
    auto bytes = read_file(request.reference_images[i], kMaxReferenceImageBytes);
    if (!bytes) return tl::unexpected(bytes.error());
    auto check = moderation::check_image(*bytes, *blocklist);
    if (!check) {
      return fail(check.error().code,
                  "reference image " + std::to_string(i + 1) + ": " + check.error().message);
    }
    if (check->decision == "pass") continue;
    const std::string image = "reference image " + std::to_string(i + 1);
    Reason found = blocklist_reason(
        *check, *blocklist,
        check->decision == "block" ? "reference_image_blocked" : "reference_image_review", image);
    found.detail.insert(found.detail.begin(), {"image", std::to_string(i + 1)});
    reasons.push_back(std::move(found));
  }
  return {};
}

Result<AdmissionRecord> AdmissionDesk::admit(const AdmissionRequest& request) {
  if (request.user_id.empty()) return fail(ErrorCode::kInvalidArgument, "user_id is required");
  if (request.service.empty()) return fail(ErrorCode::kInvalidArgument, "service is required");
  if (!is_output_modality(request.modality)) {
    return fail(ErrorCode::kInvalidArgument, "modality is text, image, audio or video");
  }
  for (const auto& person : request.persons) {
    if (person.subject_id.empty() || person.modalities.empty()) {
      return fail(ErrorCode::kInvalidArgument,
                  "each person needs a subject_id and the modalities used (face, voice, ...)");
    }
    for (const auto& m : person.modalities) {
      if (!consent::is_modality(m)) {
        return fail(ErrorCode::kInvalidArgument,
                    "unknown person modality " + m + " (face, voice, body, other_biometric)");
      }
    }
  }

  std::vector<Reason> reasons;
  std::vector<std::string> consent_ids;
  if (auto ok = check_identity(request, reasons); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_consent(request, reasons, consent_ids); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = check_prompt(request, reasons); !ok) return tl::unexpected(ok.error());
  if (auto ok = check_reference_images(request, reasons); !ok) return tl::unexpected(ok.error());

  AdmissionRecord record;
  record.id = ids_.next_uuid().to_string();
  record.user_id = request.user_id;
  record.service = request.service;
  record.modality = request.modality;
  record.decision = decide(reasons);
  record.reasons = std::move(reasons);
  record.prompt_sha256 = hex_digest(request.prompt);
  record.consent_ids = std::move(consent_ids);
  record.actor = request.actor.empty() ? "system" : request.actor;
  const auto now = clock_.now();
  record.created_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  record.expires_ms =
      record.created_ms +
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.ticket_lifetime).count();

  audit::AuditEvent event;
  event.type = audit::EventType::kAdmissionDecided;
  event.time = now;
  event.actor = record.actor;
  event.user_id = record.user_id;
  event.subjects["admission"] = record.id;
  for (std::size_t i = 0; i < record.consent_ids.size(); ++i) {
    event.subjects["consent_" + std::to_string(i + 1)] = record.consent_ids[i];
  }
  event.content_hashes["prompt_sha256"] = record.prompt_sha256;
  event.details["decision"] = record.decision;
  event.details["service"] = record.service;
  event.details["modality"] = record.modality;
  std::string codes;
  for (const auto& r : record.reasons) {
    if (!codes.empty()) codes += ",";
    codes += r.code;
  }
  if (!codes.empty()) event.details["reasons"] = codes;
  auto index = audit_.append(std::move(event));
  if (!index) return tl::unexpected(index.error());
  record.audit_index = *index;
  if (auto ok = records_.add_admission(record); !ok) return tl::unexpected(ok.error());
  return record;
}

}  // namespace synthgate::pipeline
