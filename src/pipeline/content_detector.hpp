#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/ed25519.hpp"
#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "metadata/aigc_record.hpp"
#include "metadata/implicit_label.hpp"
#include "pipeline/watermark_payload.hpp"

namespace synthgate::pipeline {

// Labeling Measures Art. 6, strongest first: what a distribution platform must say about a
// piece of content.
enum class Verdict { kConfirmed, kPossible, kSuspected, kNone };
std::string_view verdict_name(Verdict verdict);

// What the file's implicit (metadata) label says.
struct MetadataFinding {
  bool checked = false;  // false: no metadata reader for this format (see note)
  std::string note;
  std::optional<metadata::AigcRecord> record;  // the first AIGC label, if any
  std::size_t count = 0;                       // labels carried (one is right)
  // ReservedCode1 against the verifying key; absent without a key or without a record.
  std::optional<metadata::Integrity> integrity;
};

// The invisible watermark (images and video).
struct WatermarkFinding {
  bool checked = false;  // false: not read (see note)
  std::string note;
  bool found = false;
  std::uint64_t payload = 0;  // meaningful only when found
  double confidence = 0.0;
  int bit_errors = 0;
};

// The explicit (visible) label (text formats only for now).
struct ExplicitLabelFinding {
  bool checked = false;  // false: not looked for (see note)
  std::string note;
  bool found = false;  // a short visible line with both GB 45438 elements
  bool ai_element = false;
  bool generation_element = false;
  std::string position;  // start, middle, end, none
  std::string line;      // the label as found
};

struct DetectionReport {
  std::string kind;    // image, text, document, audio, video
  std::string format;  // png, jpeg, markdown, pdf, mp4, ...
  MetadataFinding metadata;
  WatermarkFinding watermark;
  ExplicitLabelFinding explicit_label;
  bool declared_ai = false;
  Verdict verdict = Verdict::kNone;
  std::string reason;  // the Art. 6 case that decided, in words

  // For tracing a finding back to the provider's record (GET /v1/contents/{id}).
  std::optional<std::string> produce_id() const;
  std::optional<std::string> watermark_payload_hex() const;
};

// The keys a detection checks with; either may be absent (that check is then skipped).
struct DetectionKeys {
  const Ed25519PublicKey* metadata_key = nullptr;  // verifies ReservedCode1
  const SecretBytes* watermark_key = nullptr;      // reads the watermark
};

struct DetectionInput {
  bool declared_ai = false;  // the uploader declares the content AI-generated (Art. 6 case 2)
};

// Art. 6 over the three findings; see the rule in content_detector.cpp.
Verdict art6_verdict(const std::optional<metadata::AigcRecord>& record, bool declared_ai,
                     bool traces_detected, std::string* reason = nullptr);

// Detects the labels of the file at `path` (type read from its bytes, never its name).
// Only the structures that carry a label are read from audio and video; images and text are
// read whole (up to the limits of media/image_codec and kMaxTextBytes). Refuses with
// kUnsupportedMediaType a file of no type it knows, kNotFound/kIo one it cannot read.
inline constexpr std::size_t kMaxTextBytes = 64u << 20;
Result<DetectionReport> detect_file(const std::filesystem::path& path, const DetectionKeys& keys,
                                    const DetectionInput& input = {});

}  // namespace synthgate::pipeline
