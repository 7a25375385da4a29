#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// FLAC: the label is the Vorbis comment `AIGC=...` in the VORBIS_COMMENT block (made after
// STREAMINFO when missing). Other comments and blocks are kept.
class FlacLabelHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "flac"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // The metadata blocks but VORBIS_COMMENT and PADDING, and the audio frames.
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
