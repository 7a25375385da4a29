#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// Ogg Vorbis and Ogg Opus: the label is the comment `AIGC=...` of the comment header. The
// header packets after the first are re-paged, the pages after them renumbered, and every
// rewritten page gets a fresh CRC. One logical stream only (no multiplexed or chained files).
class OggLabelHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "ogg"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // The identification and setup headers and every audio page's granule, lacing and data.
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
