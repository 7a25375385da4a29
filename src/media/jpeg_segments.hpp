#pragma once

#include <cstdint>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// One marker segment of a JPEG header (APPn, DQT, SOFn, ...), up to and including SOS.
struct JpegSegment {
  std::uint8_t marker = 0;  // the byte after 0xFF
  std::size_t offset = 0;   // of the 0xFF
  std::size_t size = 0;     // whole segment: marker, length field and payload
  std::size_t payload_offset = 0;
  std::size_t payload_size = 0;
};

// The header segments of a JPEG file; `scan_offset` is where the SOS segment starts, after
// which the entropy-coded data and any further segments run to the EOI marker.
struct JpegLayout {
  std::vector<JpegSegment> segments;  // SOI excluded; the SOS segment is the last
  std::size_t scan_offset = 0;
};

// Walks a JPEG file's marker segments. Refuses a file that does not start with SOI, whose
// segment lengths run past the end, that has no SOS, or whose EOI is missing (truncated).
Result<JpegLayout> walk_jpeg(ByteView file);

// JPEG APP1 payloads that carry an XMP packet start with this namespace and a NUL.
inline constexpr std::string_view kJpegXmpSignature = "http://ns.adobe.com/xap/1.0/";

}  // namespace synthgate::media
