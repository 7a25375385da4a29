#pragma once

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// The label in an OOXML package (DOCX, XLSX, PPTX): the custom property "AIGC" (vt:lpwstr
// holding the JSON) in docProps/custom.xml. Writing keeps the package's other custom
// properties, adds the part's Override to [Content_Types].xml and its relationship to
// _rels/.rels when missing; the other parts are copied as they are (through libzip).
class OoxmlCustomProperty final : public FormatHandler {
 public:
  std::string_view name() const override { return "ooxml"; }
  // A zip whose first local header is an OOXML part ([Content_Types].xml in the archive).
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  // Covers every part (name and uncompressed bytes) but docProps/custom.xml,
  // [Content_Types].xml and _rels/.rels, which a label write changes.
  Result<Sha256Digest> content_digest(ByteView file) const override;
};

}  // namespace synthgate::metadata
