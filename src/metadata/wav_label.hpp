#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// WAV: the label is a top-level RIFF chunk `AIGC` (the TC260 guide) and, for readers that
// only know LIST/INFO (ffmpeg, ffprobe), an `AIGC` entry of the LIST/INFO chunk with the same
// JSON. The two carry one label: identical values are read as one.
class WavLabelHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "wav"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // Everything but the AIGC chunk and the AIGC entry of LIST/INFO.
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
