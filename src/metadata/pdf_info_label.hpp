#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// The label as the PDF document information dictionary's /AIGC entry (a literal string
// holding the JSON), written as an incremental update: a new Info object copying the old
// one's entries, and a cross-reference section of the kind the file already uses (a classic
// table, or an uncompressed xref stream) whose trailer has /Prev. The original bytes are
// never changed; an update SynthGate appended last is replaced rather than stacked. Read by
// following the newest trailer's /Info. Encrypted PDFs are refused.
class PdfInfoLabel final : public FormatHandler {
 public:
  std::string_view name() const override { return "pdf"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // SHA-256 of the file without the update SynthGate appended (the whole file otherwise).
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
