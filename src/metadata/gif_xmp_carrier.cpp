#include "metadata/gif_xmp_carrier.hpp"

#include <algorithm>
#include <array>

#include "media/gif_blocks.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kXmpApplication = "XMP DataXMP";
constexpr std::size_t kTrailerSize = 258;

// 0x01, 0xFF, 0xFE, ..., 0x01, 0x00, then the block terminator 0x00.
std::array<std::uint8_t, kTrailerSize> magic_trailer() {
  std::array<std::uint8_t, kTrailerSize> t{};
  t[0] = 0x01;
  for (std::size_t i = 1; i <= 256; ++i) t[i] = static_cast<std::uint8_t>(256 - i);
  t[257] = 0x00;
  return t;
}

bool is_xmp(const media::GifBlock& b) {
  return b.kind == media::GifBlock::Kind::kExtension && b.label == 0xff &&
         b.application == kXmpApplication;
}
}  // namespace

bool GifXmpCarrier::recognises(ByteView head) const {
  return head.size() >= 6 &&
         (as_chars(head.first(6)) == "GIF87a" || as_chars(head.first(6)) == "GIF89a");
}

Result<std::vector<std::string>> GifXmpCarrier::packets(ByteView file) const {
  auto layout = media::walk_gif(file);
  if (!layout) return tl::unexpected(layout.error());
  static const auto trailer = magic_trailer();
  std::vector<std::string> out;
  for (const auto& b : layout->blocks) {
    if (!is_xmp(b)) continue;
    const ByteView raw = file.subspan(b.payload_offset, b.offset + b.size - b.payload_offset);
    if (raw.size() < kTrailerSize ||
        !std::equal(trailer.begin(), trailer.end(), raw.end() - kTrailerSize)) {
      return fail(ErrorCode::kInvalidArgument, "damaged GIF: XMP block without its magic trailer");
    }
    out.emplace_back(as_chars(raw.first(raw.size() - kTrailerSize)));
  }
  return out;
}

Result<Bytes> GifXmpCarrier::with_packet(ByteView file, std::string_view packet) const {
  auto layout = media::walk_gif(file);
  if (!layout) return tl::unexpected(layout.error());
  if (packet.find('\0') != std::string_view::npos) {
    return fail(ErrorCode::kInvalidArgument, "an XMP packet for GIF must not contain NUL bytes");
  }
  static const auto trailer = magic_trailer();
  Bytes out(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(layout->header_size));
  out[4] = '9';  // GIF87a has no extensions: the file becomes GIF89a
  out.reserve(file.size() + packet.size() + 300);
  // Right after the screen descriptor and global colour table, where exiftool looks for
  // it and puts it (one written after the image makes exiftool add a second).
  out.insert(out.end(), {0x21, 0xff, 0x0b});
  out.insert(out.end(), kXmpApplication.begin(), kXmpApplication.end());
  out.insert(out.end(), packet.begin(), packet.end());
  out.insert(out.end(), trailer.begin(), trailer.end());
  for (const auto& b : layout->blocks) {
    if (is_xmp(b)) continue;
    out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(b.offset),
               file.begin() + static_cast<std::ptrdiff_t>(b.offset + b.size));
  }
  return out;
}

Result<Sha256Digest> GifXmpCarrier::digest_without_packets(ByteView file) const {
  auto layout = media::walk_gif(file);
  if (!layout) return tl::unexpected(layout.error());
  Sha256Hasher hasher;
  // The version is skipped: writing a label turns 87a into 89a.
  hasher.update(file.first(3));
  hasher.update(file.subspan(6, layout->header_size - 6));
  for (const auto& b : layout->blocks) {
    if (!is_xmp(b)) hasher.update(file.subspan(b.offset, b.size));
  }
  return hasher.finish();
}

}  // namespace synthgate::metadata
