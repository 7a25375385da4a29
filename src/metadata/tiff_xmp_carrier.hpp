#pragma once

#include "metadata/xmp_carrier.hpp"

namespace synthgate::metadata {

// XMP in TIFF tag 700 (0x2BC, type UNDEFINED) of IFD0. Writing never moves the image data:
// the packet and a new IFD0 (the old entries plus tag 700, sorted) are appended and the
// header points at the new IFD0. When the file already ends with a packet and IFD0 that
// SynthGate appended, those are replaced instead, so relabelling does not grow the file.
class TiffXmpCarrier final : public XmpCarrier {
 public:
  std::string_view name() const override { return "tiff"; }
  bool recognises(ByteView head) const override;
  Result<std::vector<std::string>> packets(ByteView file) const override;
  Result<Bytes> with_packet(ByteView file, std::string_view packet) const override;
  // Covers the byte order, every IFD entry of the chain but tag 700 (with its value bytes,
  // not where they sit) and every strip or tile; other sub-IFDs (Exif, GPS) are covered
  // only through their pointers.
  Result<Sha256Digest> digest_without_packets(ByteView file) const override;
};

}  // namespace synthgate::metadata
