#pragma once

#include "metadata/xmp_carrier.hpp"

namespace synthgate::metadata {

// XMP in a PNG iTXt chunk with keyword "XML:com.adobe.xmp", written uncompressed right after
// IHDR (before IDAT, where readers expect it); compressed packets are read too.
class PngXmpCarrier final : public XmpCarrier {
 public:
  std::string_view name() const override { return "png"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> packets(ByteView file) const override;
  Result<Bytes> with_packet(ByteView file, std::string_view packet) const override;
  Result<Sha256Digest> digest_without_packets(ByteView file) const override;
};

}  // namespace synthgate::metadata
