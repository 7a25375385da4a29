#pragma once

#include "metadata/xmp_carrier.hpp"

namespace synthgate::metadata {

// XMP in a GIF89a application extension "XMP DataXMP" (XMP Part 3 §1.1.2): the packet's raw
// bytes followed by the 258-byte "magic trailer" that lets GIF readers skip it as
// sub-blocks. Written right after the global colour table; a GIF87a file becomes GIF89a (extensions
// need 89a).
class GifXmpCarrier final : public XmpCarrier {
 public:
  std::string_view name() const override { return "gif"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> packets(ByteView file) const override;
  Result<Bytes> with_packet(ByteView file, std::string_view packet) const override;
  Result<Sha256Digest> digest_without_packets(ByteView file) const override;
};

}  // namespace synthgate::metadata
