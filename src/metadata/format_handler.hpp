#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::metadata {

// How a label is written beyond the AIGC JSON itself.
struct LabelStyle {
  // For XMP carriers: the Iptc4xmpExt:DigitalSourceType value written beside TC260:AIGC.
  std::string digital_source_type;
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
};

// The handlers SynthGate has, in the order they are tried.
const std::vector<const FormatHandler*>& format_handlers();

// The handler for a file's bytes (never its name), or an error naming what it looks like.
Result<const FormatHandler*> handler_for(ByteView file);

}  // namespace synthgate::metadata
