#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// The label in a Markdown document's YAML front matter as `AIGC: {...JSON...}` (JSON is a
// YAML flow mapping, so YAML readers see a mapping of the seven fields). A document without
// front matter gets one holding only the label; other front matter entries are kept.
// Reads the flow form and single- or double-quoted JSON strings.
class MarkdownFrontMatterLabel final : public FormatHandler {
 public:
  std::string_view name() const override { return "markdown"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // SHA-256 of the front matter entries but AIGC, and the body.
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
