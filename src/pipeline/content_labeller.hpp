#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ed25519.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "metadata/aigc_record.hpp"
#include "pipeline/watermark_payload.hpp"

namespace synthgate::pipeline {

// What labelling applies to one output: from `synthgate label`'s flags or the gateway's
// configuration. The order is DESIGN.md's: visible label, watermark, metadata label.
struct LabelPlan {
  std::string producer;                 // ContentProducer (needed when metadata is on)
  std::optional<std::string> text;      // visible wording; each kind has its default
  std::optional<std::string> position;  // per kind: see `synthgate label --help`
  bool visible = true;
  bool watermark = true;
  bool metadata = true;
  std::string audio_cue = "rhythm";  // rhythm or voice
  std::optional<std::filesystem::path> voice_clip;
  std::string audio_mode = "insert";  // insert or mix
  // Video: the audio cue mixed over the first sound track too (never inserted: the sound would
  // fall out of sync with the picture). Off: the track is copied untouched.
  bool sound_track_label = false;
  std::optional<std::string> audio_position;  // that cue: start (default), middle, end or a list
  double label_seconds = 2.0;                 // video
  int crf = -1;                               // video: -1 keeps the encoder's default
  std::string preset;                         // video
};

// Keys the steps need; a step that is on and finds its key missing is refused.
struct LabelKeys {
  const SecretBytes* watermark = nullptr;
  const Ed25519SigningKey* metadata_signing = nullptr;
};

// What one labelling did, step by step (each step: {"applied": bool, ...}).
struct LabelOutcome {
  std::string kind;    // image, text, audio, video
  std::string format;  // png, jpeg, markdown, mp4/h264, ...
  nlohmann::ordered_json visible = nlohmann::ordered_json::object();
  nlohmann::ordered_json watermark = nlohmann::ordered_json::object();
  nlohmann::ordered_json metadata = nlohmann::ordered_json::object();
  // The source's settings the output keeps (images): JPEG quality and subsampling, WebP
  // compression, an animation's frames, timing and loop count.
  nlohmann::ordered_json kept = nlohmann::ordered_json::object();
  std::optional<std::uint64_t> watermark_payload;
  std::optional<metadata::AigcRecord> record;

  // "visible", "watermark", "metadata": the labels the file now carries.
  std::vector<std::string> applied() const;
};

// Progress of long media: the stage ("encoding"), the fraction done and the length of the
// media in seconds (so a caller can stay quiet for short files).
using LabelProgress = std::function<void(std::string_view stage, double fraction, double seconds)>;

// What a file holds, read from its bytes: "image", "text", "video", "audio"; an error for
// anything else (kUnsupportedMediaType).
Result<std::string> content_kind_of(const std::filesystem::path& path);

// Checks a plan before any work: wording, positions and modes that no file could take.
Status check_plan(const LabelPlan& plan);

// Labels `in` into `out`, the type read from the bytes: images and text are read whole,
// audio and video are streamed through a temporary file beside `out`. `out` appears whole
// or not at all; `in` is never modified.
Result<LabelOutcome> label_file(const std::filesystem::path& in, const std::filesystem::path& out,
                                const ContentId& id, const LabelPlan& plan, const LabelKeys& keys,
                                const LabelProgress& progress = {});

}  // namespace synthgate::pipeline
