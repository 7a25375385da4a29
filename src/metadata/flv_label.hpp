#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// FLV: the label is the string property `AIGC` of the onMetaData script tag (a new first tag
// when there is none). Only that tag changes size, and FLV has no absolute offsets outside
// onMetaData's optional keyframe index, which is refused; `filesize` is updated.
class FlvLabelHandler final : public FormatHandler {
 public:
  std::string_view name() const override { return "flv"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // The header and every audio and video tag.
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
