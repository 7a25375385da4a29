#include "pipeline/output_desk.hpp"

#include <algorithm>
#include <thread>

#include "core/file_io.hpp"
#include "moderation/image_moderation.hpp"
#include "moderation/video_moderation.hpp"
#include "pipeline/moderation_reasons.hpp"

namespace synthgate::pipeline {

namespace {

constexpr std::size_t kMaxModeratedTextBytes = std::size_t{16} << 20;

std::int64_t millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

unsigned worker_count(unsigned configured) {
  if (configured > 0) return std::min(configured, 1024u);
  return std::clamp(std::thread::hardware_concurrency(), 1u, 1024u);
}

// Holds one engine slot for the length of a scope.
class SlotHold {
 public:
  explicit SlotHold(std::counting_semaphore<1024>& slots) : slots_(slots) { slots_.acquire(); }
  ~SlotHold() { slots_.release(); }
  SlotHold(const SlotHold&) = delete;
  SlotHold& operator=(const SlotHold&) = delete;

 private:
  std::counting_semaphore<1024>& slots_;
};

}  // namespace

OutputDesk::OutputDesk(PipelineRecords& records, ModerationEngines engines, LabelKeys keys,
                       audit::AuditLog& audit, const Clock& clock, IdGenerator& ids,
                       OutputOptions options)
    : records_(records),
      engines_(std::move(engines)),
      keys_(keys),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)),
      slots_(static_cast<std::ptrdiff_t>(worker_count(options_.workers))) {}

Result<AdmissionRecord> OutputDesk::valid_admission(const std::string& admission_id) {
  if (admission_id.empty()) {
    return fail(ErrorCode::kFailedPrecondition,
                "an output needs the admission_id of an allowed admission");
  }
  auto admission = records_.admission(admission_id);
  if (!admission) {
    if (admission.error().code == ErrorCode::kNotFound) {
      return fail(ErrorCode::kFailedPrecondition, "no admission " + admission_id);
    }
    return tl::unexpected(admission.error());
  }
  if (admission->decision != "allow") {
    return fail(ErrorCode::kFailedPrecondition, "admission " + admission_id + " was decided " +
                                                    admission->decision +
                                                    ": no output may be labelled under it");
  }
  if (millis(clock_.now()) > admission->expires_ms) {
    return fail(ErrorCode::kFailedPrecondition,
                "admission " + admission_id + " has expired; admit the prompt again");
  }
  return admission;
}

Status OutputDesk::moderate(const std::string& kind, const std::filesystem::path& file,
                            std::vector<Reason>& reasons) {
  if (kind == "text" && engines_.classifier != nullptr) {
    auto text = read_file(file, kMaxModeratedTextBytes);
    if (!text) return tl::unexpected(text.error());
    add_classifier_reasons(engines_.classifier->classify(as_chars(*text), "output"), "output",
                           "the output", reasons);
  }
  if (kind == "text") {
    if (engines_.lexicon == nullptr) {
      reasons.push_back({"lexicon_not_configured",
                         "note",
                         "no keyword lexicon is configured: the output text was not checked",
                         {}});
      return {};
    }
    auto text = read_file(file, kMaxModeratedTextBytes);
    if (!text) return tl::unexpected(text.error());
    auto decision = engines_.lexicon->current()->check(as_chars(*text));
    if (!decision) return tl::unexpected(decision.error());
    for (const auto& m : decision->matches) {
      if (m.action == moderation::MatchAction::kMask) continue;
      const bool block = m.action == moderation::MatchAction::kBlock;
      reasons.push_back(text_match_reason(m, block ? "output_blocked" : "output_review",
                                          block ? "block" : "review", "the output"));
    }
    return {};
  }
  if (kind == "image") {
    const auto blocklist = engines_.blocklist ? engines_.blocklist->current() : nullptr;
    if (!blocklist) {
      reasons.push_back({"blocklist_not_configured",
                         "note",
                         "no image hash blocklist is configured: the output image was not "
                         "checked against one",
                         {}});
      return {};
    }
    auto bytes = read_file(file);
    if (!bytes) return tl::unexpected(bytes.error());
    auto check = moderation::check_image(*bytes, *blocklist);
    if (!check) return tl::unexpected(check.error());
    if (check->decision == "pass") return {};
    reasons.push_back(blocklist_reason(
        *check, *blocklist, check->decision == "block" ? "output_blocked" : "output_review",
        "the output image"));
    return {};
  }
  if (kind == "video") {
    const auto blocklist = engines_.blocklist ? engines_.blocklist->current() : nullptr;
    if (!blocklist) {
      reasons.push_back({"blocklist_not_configured",
                         "note",
                         "no image hash blocklist is configured: the output video's frames were "
                         "not checked against one",
                         {}});
      return {};
    }
    auto check = moderation::check_video(file, *blocklist);
    if (!check) return tl::unexpected(check.error());
    if (check->decision == "pass") return {};
    reasons.push_back(
        video_blocklist_reason(*check, *blocklist, "output_blocked", "the output video"));
    return {};
  }
  // Audio (and anything else): said, not passed silently.
  reasons.push_back(
      {"not_moderated",
       "note",
       "no " + kind + " moderation engine: the output " + kind + " was labelled unchecked",
       {}});
  return {};
}

Result<OutputResult> OutputDesk::process(const OutputRequest& request,
                                         const std::filesystem::path& out) {
  auto admission = valid_admission(request.admission_id);
  if (!admission) return tl::unexpected(admission.error());
  auto kind = content_kind_of(request.file);
  if (!kind) return tl::unexpected(kind.error());
  if (*kind != admission->modality) {
    return fail(ErrorCode::kFailedPrecondition, "admission " + admission->id + " is for " +
                                                    admission->modality + " output, not " + *kind);
  }
  auto input_sha256 = sha256_of_file(request.file);
  if (!input_sha256) return tl::unexpected(input_sha256.error());

  SlotHold hold(slots_);
  OutputResult result;
  if (auto ok = moderate(*kind, request.file, result.reasons); !ok) {
    return tl::unexpected(ok.error());
  }
  const std::string decision = decide(result.reasons);
  const std::string actor = request.actor.empty() ? "system" : request.actor;
  if (decision != "allow") {
    // Held or blocked: audited, never labelled or returned.
    audit::AuditEvent event;
    event.type = audit::EventType::kModerationDecided;
    event.actor = actor;
    event.user_id = admission->user_id;
    event.subjects["admission"] = admission->id;
    event.content_hashes["output_sha256"] = *input_sha256;
    event.details["decision"] = decision;
    event.details["stage"] = "output";
    event.details["modality"] = *kind;
    std::string codes;
    for (const auto& r : result.reasons) codes += (codes.empty() ? "" : ",") + r.code;
    event.details["reasons"] = codes;
    auto index = audit_.append(std::move(event));
    if (!index) return tl::unexpected(index.error());
    result.audit_index = *index;
    return result;
  }

  const ContentId id = ids_.next_content_id();
  LabelPlan plan = options_.plan;
  if (*kind == "text") plan.position = options_.text_position;
  auto outcome = label_file(request.file, out, id, plan, keys_);
  if (!outcome) return tl::unexpected(outcome.error());
  auto output_sha256 = sha256_of_file(out);
  if (!output_sha256) return tl::unexpected(output_sha256.error());

  ContentRecord& record = result.record;
  record.id = id.to_string();
  record.admission_id = admission->id;
  record.user_id = admission->user_id;
  record.service = admission->service;
  record.modality = *kind;
  record.format = outcome->format;
  record.input_sha256 = *input_sha256;
  record.output_sha256 = *output_sha256;
  if (*kind == "image") {
    auto bytes = read_file(out);
    if (!bytes) return tl::unexpected(bytes.error());
    if (auto pdq = moderation::pdq_of_image(*bytes)) record.pdq = pdq->hash.hex();
  }
  if (outcome->watermark_payload)
    record.watermark_payload = payload_hex(*outcome->watermark_payload);
  record.labels = outcome->applied();
  if (outcome->record) record.aigc = outcome->record->to_json();
  record.created_ms = millis(clock_.now());

  audit::AuditEvent event;
  event.type = audit::EventType::kOutputLabelled;
  event.actor = actor;
  event.user_id = record.user_id;
  event.content_id = record.id;
  event.subjects["admission"] = record.admission_id;
  event.content_hashes["input_sha256"] = record.input_sha256;
  event.content_hashes["output_sha256"] = record.output_sha256;
  if (record.pdq) event.content_hashes["pdq"] = *record.pdq;
  event.labels = record.labels;
  event.details["modality"] = record.modality;
  event.details["format"] = record.format;
  if (record.watermark_payload) event.details["watermark_payload"] = *record.watermark_payload;
  auto index = audit_.append(std::move(event));
  if (!index) return tl::unexpected(index.error());
  record.audit_index = *index;
  if (auto ok = records_.add_content(record); !ok) return tl::unexpected(ok.error());
  result.labelled = true;
  result.audit_index = *index;
  result.outcome = std::move(*outcome);
  return result;
}

}  // namespace synthgate::pipeline
