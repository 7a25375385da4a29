#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// MP3: the label is an ID3v2.4 TXXX frame with description `AIGC`. An ID3v2.3 tag is
// rewritten as v2.4 (frames kept); a file without a tag gets one. The MPEG audio frames are
// walked to the end, so a truncated file is refused.
class Mp3LabelHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "mp3"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // The audio after the ID3v2 tag.
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
