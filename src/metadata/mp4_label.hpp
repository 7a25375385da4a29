#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// MP4, MOV and M4A: the label is the `AIGC` key of an mdta `meta` box in moov/udta (keys +
// ilst, as ffmpeg writes with -movflags use_metadata_tags). Only moov is read into memory;
// when moov grows in front of the media data every stco/co64 chunk offset is shifted, and
// when a 32-bit offset would overflow, moov is moved after the media data instead.
// Fragmented files (moof) are refused.
class Mp4LabelHandler final : public FormatHandler, public StreamFormatHandler {
 public:
  std::string_view name() const override { return "mp4"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  Result<Sha256Digest> content_digest(ByteView file) const override;
  const StreamFormatHandler* streaming() const override { return this; }

  Result<std::vector<std::string>> read_labels(const media::ByteSource& file) const override;
  Status write_label(const media::ByteSource& file, media::ByteSink& out,
                     std::string_view aigc_json, const LabelStyle& style) const override;
  // Covers every top-level box but moov/free/skip, and moov without udta and meta, its chunk
  // offsets taken as if moov were absent (so moving or growing moov does not change it).
  Result<Sha256Digest> content_digest(const media::ByteSource& file) const override;
};

}  // namespace synthgate::metadata
