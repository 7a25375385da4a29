#include "media/jpeg_segments.hpp"

namespace synthgate::media {

namespace {
constexpr std::uint8_t kSoi = 0xd8;
constexpr std::uint8_t kEoi = 0xd9;
constexpr std::uint8_t kSos = 0xda;

tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged JPEG: " + why);
}

// Markers that stand alone, without a length field.
bool standalone(std::uint8_t marker) {
  return marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}
}  // namespace

Result<JpegLayout> walk_jpeg(ByteView file) {
  if (file.size() < 4 || file[0] != 0xff || file[1] != kSoi) {
    return fail(ErrorCode::kInvalidArgument, "not a JPEG file (no SOI marker)");
  }
  JpegLayout layout;
  std::size_t pos = 2;
  for (;;) {
    if (pos >= file.size()) return damaged("the header ends before the image data (truncated)");
    if (file[pos] != 0xff) return damaged("expected a marker at offset " + std::to_string(pos));
    const std::size_t start = pos;
    while (pos < file.size() && file[pos] == 0xff) ++pos;  // fill bytes
    if (pos >= file.size()) return damaged("truncated marker");
    const std::uint8_t marker = file[pos++];
    if (marker == 0x00 || marker == kSoi) return damaged("unexpected marker in the header");
    if (marker == kEoi) return damaged("the image ends before its image data");
    if (standalone(marker)) continue;
    if (pos + 2 > file.size()) return damaged("truncated segment length");
    const std::size_t length = static_cast<std::size_t>(file[pos]) << 8 | file[pos + 1];
    if (length < 2 || pos + length > file.size()) {
      return damaged("segment at offset " + std::to_string(start) + " runs past the end");
    }
    layout.segments.push_back({marker, start, pos + length - start, pos + 2, length - 2});
    pos += length;
    if (marker == kSos) {
      layout.scan_offset = start;
      break;
    }
  }
  // The entropy-coded data must be followed by EOI; some writers append data after it.
  bool has_eoi = false;
  for (std::size_t i = file.size() - 1; i > pos; --i) {
    if (file[i - 1] == 0xff && file[i] == kEoi) {
      has_eoi = true;
      break;
    }
  }
  if (!has_eoi) return damaged("no end-of-image marker (truncated)");
  return layout;
}

}  // namespace synthgate::media
