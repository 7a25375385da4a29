#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// Matroska and WebM: the label is a global SimpleTag (TagName `AIGC`, TagString the JSON) in
// a Tags element appended at the end of the Segment and listed in the SeekHead (where ffmpeg
// and ffprobe find it). Earlier AIGC SimpleTags are overwritten in place by Void elements, so
// no cluster or cue moves; CRC-32 elements of rewritten elements are recomputed. Needs a
// SeekHead with room (ffmpeg reserves it) and a Segment of known size.
class MatroskaLabelHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "matroska"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // Every top-level element of the Segment but SeekHead, Void and Tags, and the EBML header.
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
