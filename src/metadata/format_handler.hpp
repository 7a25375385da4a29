#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/encoding.hpp"
#include "core/result.hpp"
#include "media/byte_stream.hpp"

namespace synthgate::metadata {

// How a label is written beyond the AIGC JSON itself.
struct LabelStyle {
  // For XMP carriers: the Iptc4xmpExt:DigitalSourceType value written beside TC260:AIGC.
  std::string digital_source_type;
};

// A format whose label is read and written without holding the file in memory (large
// video): only the structures that carry the label are read; the rest is copied in bounded
// pieces.
class StreamFormatHandler {
 public:
  virtual ~StreamFormatHandler() = default;
  virtual Result<std::vector<std::string>> read_labels(const media::ByteSource& file) const = 0;
  virtual Status write_label(const media::ByteSource& file, media::ByteSink& out,
                             std::string_view aigc_json, const LabelStyle& style) const = 0;
  virtual Result<Sha256Digest> content_digest(const media::ByteSource& file) const = 0;
};

// One container format's reader and writer of the AIGC label (the c2pa-rs asset-handler
// shape): stateless, validates that the bytes are its format before touching them, writes
// idempotently (an existing label is replaced, never duplicated) and keeps everything else.
class FormatHandler {
 public:
  virtual ~FormatHandler() = default;

  virtual std::string_view name() const = 0;  // "jpeg", "png", ...
  // Whether the first bytes are this format's signature.
  virtual bool recognises(ByteView head) const = 0;
  // Every AIGC label the file carries, as JSON text (normally none or one).
  virtual Result<std::vector<std::string>> read_labels(ByteView file) const = 0;
  // The file carrying exactly one label, `aigc_json`.
  virtual Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                                    const LabelStyle& style) const = 0;
  // SHA-256 of the file without the structure that carries the label: what a provider's
  // signature in ReservedCode1 covers, so that adding or updating the label does not
  // change it.
  virtual Result<Sha256Digest> content_digest(ByteView file) const = 0;
  // The same handler over streams, for formats that support it (null: read the file whole).
  virtual const StreamFormatHandler* streaming() const { return nullptr; }
};

// The handlers SynthGate has, in the order they are tried.
const std::vector<const FormatHandler*>& format_handlers();

// The handler for a file's bytes (never its name), or an error naming what it looks like.
Result<const FormatHandler*> handler_for(ByteView file);

}  // namespace synthgate::metadata
