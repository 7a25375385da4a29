#pragma once

#include "metadata/xmp_carrier.hpp"

namespace synthgate::metadata {

// XMP in a JPEG APP1 segment ("http://ns.adobe.com/xap/1.0/\0" + packet). A new segment goes
// where the old one was, else after the leading APP0 (JFIF) and APP1 (Exif) segments.
// Extended XMP (packets over one segment) is not written.
class JpegXmpCarrier final : public XmpCarrier {
 public:
  std::string_view name() const override { return "jpeg"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> packets(ByteView file) const override;
  Result<Bytes> with_packet(ByteView file, std::string_view packet) const override;
  Result<Sha256Digest> digest_without_packets(ByteView file) const override;
};

}  // namespace synthgate::metadata
