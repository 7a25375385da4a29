#include "metadata/jpeg_xmp_carrier.hpp"

#include <algorithm>

#include "media/jpeg_segments.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::uint8_t kApp0 = 0xe0;
constexpr std::uint8_t kApp1 = 0xe1;
constexpr std::size_t kMaxSegmentPayload = 65535 - 2;

std::size_t xmp_header_size() {
  return media::kJpegXmpSignature.size() + 1;
}

bool is_xmp(ByteView file, const media::JpegSegment& s) {
  if (s.marker != kApp1 || s.payload_size < xmp_header_size()) return false;
  const auto header = file.subspan(s.payload_offset, xmp_header_size());
  return as_chars(header.first(header.size() - 1)) == media::kJpegXmpSignature &&
         header.back() == 0;
}

bool is_exif(ByteView file, const media::JpegSegment& s) {
  return s.marker == kApp1 && s.payload_size >= 6 &&
         as_chars(file.subspan(s.payload_offset, 6)) == std::string_view("Exif\0\0", 6);
}
}  // namespace

bool JpegXmpCarrier::recognises(ByteView head) const {
  return head.size() >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff;
}

Result<std::vector<std::string>> JpegXmpCarrier::packets(ByteView file) const {
  auto layout = media::walk_jpeg(file);
  if (!layout) return tl::unexpected(layout.error());
  std::vector<std::string> out;
  for (const auto& s : layout->segments) {
    if (is_xmp(file, s)) {
      out.emplace_back(as_chars(
          file.subspan(s.payload_offset + xmp_header_size(), s.payload_size - xmp_header_size())));
    }
  }
  return out;
}

Result<Bytes> JpegXmpCarrier::with_packet(ByteView file, std::string_view packet) const {
  auto layout = media::walk_jpeg(file);
  if (!layout) return tl::unexpected(layout.error());
  const std::size_t payload = xmp_header_size() + packet.size();
  if (payload > kMaxSegmentPayload) {
    return fail(ErrorCode::kInvalidArgument,
                "the XMP packet is too large for one JPEG segment (extended XMP is not written)");
  }
  // Marker, big-endian length (which counts itself), signature, NUL, packet.
  Bytes segment(4 + payload, 0);
  segment[0] = 0xff;
  segment[1] = kApp1;
  segment[2] = static_cast<std::uint8_t>((payload + 2) >> 8);
  segment[3] = static_cast<std::uint8_t>((payload + 2) & 0xff);
  std::copy(media::kJpegXmpSignature.begin(), media::kJpegXmpSignature.end(), segment.begin() + 4);
  std::copy(packet.begin(), packet.end(),
            segment.begin() + static_cast<std::ptrdiff_t>(4 + xmp_header_size()));

  // Where the new segment goes: in place of the first XMP segment, else after the leading
  // APP0/Exif segments (where readers look first).
  std::size_t insert_before = layout->segments.size();
  for (std::size_t i = 0; i < layout->segments.size(); ++i) {
    if (is_xmp(file, layout->segments[i])) {
      insert_before = i;
      break;
    }
  }
  if (insert_before == layout->segments.size()) {
    insert_before = 0;
    while (insert_before < layout->segments.size() &&
           (layout->segments[insert_before].marker == kApp0 ||
            is_exif(file, layout->segments[insert_before]))) {
      ++insert_before;
    }
  }

  Bytes out;
  out.reserve(file.size() + segment.size());
  out.insert(out.end(), file.begin(), file.begin() + 2);  // SOI
  for (std::size_t i = 0; i < layout->segments.size(); ++i) {
    const auto& s = layout->segments[i];
    if (i == insert_before) out.insert(out.end(), segment.begin(), segment.end());
    if (is_xmp(file, s)) continue;
    // A segment is copied from its own offset: fill bytes before a marker are dropped.
    out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(s.offset),
               file.begin() + static_cast<std::ptrdiff_t>(s.offset + s.size));
  }
  const auto& sos = layout->segments.back();
  out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(sos.offset + sos.size),
             file.end());
  return out;
}

Result<Sha256Digest> JpegXmpCarrier::digest_without_packets(ByteView file) const {
  auto layout = media::walk_jpeg(file);
  if (!layout) return tl::unexpected(layout.error());
  Sha256Hasher hasher;
  hasher.update(file.first(2));
  for (const auto& s : layout->segments) {
    if (!is_xmp(file, s)) hasher.update(file.subspan(s.offset, s.size));
  }
  const auto& sos = layout->segments.back();
  hasher.update(file.subspan(sos.offset + sos.size));
  return hasher.finish();
}

}  // namespace synthgate::metadata
