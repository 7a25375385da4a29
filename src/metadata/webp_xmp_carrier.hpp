#pragma once

#include "metadata/xmp_carrier.hpp"

namespace synthgate::metadata {

// XMP in a WebP "XMP " chunk at the end of the file, with the XMP flag set in VP8X. A simple
// (VP8 or VP8L only) file is given the VP8X chunk the extended format needs, its canvas
// size read from the bitstream header; the RIFF size is fixed.
class WebpXmpCarrier final : public XmpCarrier {
 public:
  std::string_view name() const override { return "webp"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> packets(ByteView file) const override;
  Result<Bytes> with_packet(ByteView file, std::string_view packet) const override;
  Result<Sha256Digest> digest_without_packets(ByteView file) const override;
};

}  // namespace synthgate::metadata
