#pragma once

#include <nlohmann/json.hpp>

#include "pipeline/content_detector.hpp"

namespace synthgate::pipeline {

// Who reads a detection report: the provider's own tools see the watermark payload (64 bits
// of its content id); the public detection route does not.
enum class ReportAudience { kProvider, kPublic };

// {"verdict", "reason", "kind", "format", "declared_ai",
//  "metadata": {"aigc": {...}, "count", "signature"}|null, "metadata_note"?,
//  "watermark": {"checked", "found", "payload"?, "confidence", "bit_errors"?, "reason"?},
//  "explicit_label": {"checked", "found", "ai_element", "generation_element", "position",
//                     "text", "reason"?}}
nlohmann::ordered_json detection_json(const DetectionReport& report, ReportAudience audience);

}  // namespace synthgate::pipeline
