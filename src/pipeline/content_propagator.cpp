#include "pipeline/content_propagator.hpp"

#include "metadata/implicit_label.hpp"

namespace synthgate::pipeline {

Result<PropagationOutcome> propagate_file(const std::filesystem::path& in,
                                          const std::filesystem::path& out,
                                          const DetectionKeys& keys,
                                          const Ed25519SigningKey& platform_key,
                                          const PropagationRequest& request) {
  if (request.propagator.empty()) {
    return fail(ErrorCode::kInvalidArgument, "the platform's code (ContentPropagator) is missing");
  }
  if (request.propagate_id.empty()) {
    return fail(ErrorCode::kInvalidArgument, "the propagation id (PropagateID) is missing");
  }
  auto detection = detect_file(in, keys, {request.declared_ai});
  if (!detection) return tl::unexpected(detection.error());
  if (!detection->metadata.checked) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "a " + detection->format + " file carries no metadata label to propagate");
  }

  // Art. 6: the label already there (case 1, or an earlier platform's 2 or 3) is kept;
  // otherwise the verdict of this upload decides between 2 and 3.
  metadata::AigcRecord record = detection->metadata.record.value_or(metadata::AigcRecord{});
  if (record.label.empty()) {
    switch (detection->verdict) {
      case Verdict::kPossible:
        record.label = "2";
        break;
      case Verdict::kSuspected:
        record.label = "3";
        break;
      case Verdict::kConfirmed:
        record.label = "1";
        break;
      case Verdict::kNone:
        return fail(ErrorCode::kFailedPrecondition,
                    "no AI label or trace; nothing to propagate (no metadata label, no "
                    "declaration, no explicit label or watermark)");
    }
  }
  record.content_propagator = request.propagator;
  record.propagate_id = request.propagate_id;
  record.reserved_code2.clear();
  auto signature = metadata::propagator_signature_file(in, record, platform_key);
  if (!signature) return tl::unexpected(signature.error());
  record.reserved_code2 = *signature;

  const metadata::RecordFindings findings = metadata::check_record(record);
  if (!findings.ok()) return fail(ErrorCode::kInvalidArgument, findings.errors.front());
  // write_propagation keeps the producer fields already in the file and sets ours.
  metadata::AigcRecord propagation;
  propagation.label = record.label;
  propagation.content_propagator = record.content_propagator;
  propagation.propagate_id = record.propagate_id;
  propagation.reserved_code2 = record.reserved_code2;
  if (auto ok = metadata::write_propagation_file(in, out, propagation); !ok) {
    return tl::unexpected(ok.error());
  }
  return PropagationOutcome{std::move(*detection), std::move(record)};
}

}  // namespace synthgate::pipeline
