#pragma once

#include <filesystem>
#include <string>

#include "core/ed25519.hpp"
#include "core/result.hpp"
#include "metadata/aigc_record.hpp"
#include "pipeline/content_detector.hpp"

namespace synthgate::pipeline {

// A distribution platform's part of Labeling Measures Art. 6: who passes the content on.
struct PropagationRequest {
  std::string propagator;    // ContentPropagator: the platform's code or name
  std::string propagate_id;  // PropagateID: the platform's id for this content
  bool declared_ai = false;  // the uploader declares the content AI-generated
};

struct PropagationOutcome {
  DetectionReport detection;    // of the input
  metadata::AigcRecord record;  // the label the output carries
};

// Writes OUT: IN carrying a metadata label with the platform's ContentPropagator,
// PropagateID and ReservedCode2 (signed with `platform_key` over the rest of the record and
// the content). The producer's fields are kept when IN has a label (Art. 6 case 1); without
// one, Label is "2" when the uploader declares AI (case 2) or "3" when an explicit label or
// watermark is detected (case 3). Refused with kFailedPrecondition when none of the three
// applies (nothing to propagate), kUnsupportedMediaType when the format carries no metadata
// label. IN is never modified; OUT is written atomically.
Result<PropagationOutcome> propagate_file(const std::filesystem::path& in,
                                          const std::filesystem::path& out,
                                          const DetectionKeys& keys,
                                          const Ed25519SigningKey& platform_key,
                                          const PropagationRequest& request);

}  // namespace synthgate::pipeline
