#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// The label in an HTML document as <meta name="AIGC" content="{...JSON...}"> (content
// entity-escaped), written on its own line right after <head> (else after <html>, else
// after the doctype). Existing AIGC meta elements (name compared case-insensitively) are
// replaced; nothing else changes.
class HtmlMetaLabel final : public FormatHandler {
 public:
  std::string_view name() const override { return "html"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // SHA-256 of the document without its AIGC meta elements (each with the line end before
  // it).
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
