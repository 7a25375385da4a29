#include "metadata/webp_xmp_carrier.hpp"

#include "media/riff_chunks.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::uint8_t kXmpFlag = 0x04;
constexpr std::uint8_t kAlphaFlag = 0x10;

// "XMP " is the specified id; ImageMagick 6 writes "XMP\0", which readers accept too.
bool is_xmp(const media::RiffChunk& c) {
  return c.id == "XMP " || c.id == std::string("XMP\0", 4);
}

struct Canvas {
  std::uint32_t width = 0, height = 0;
  bool alpha = false;
};

std::uint32_t le16(ByteView b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8;
}

// Canvas size of a simple-format WebP from its VP8 (lossy) or VP8L (lossless) header.
Result<Canvas> simple_canvas(ByteView file, const media::RiffChunk& image) {
  const ByteView data = file.subspan(image.data_offset, image.data_size);
  if (image.id == "VP8 " && data.size() >= 10 && data[3] == 0x9d && data[4] == 0x01 &&
      data[5] == 0x2a) {
    return Canvas{le16(data, 6) & 0x3fff, le16(data, 8) & 0x3fff, false};
  }
  if (image.id == "VP8L" && data.size() >= 5 && data[0] == 0x2f) {
    const std::uint32_t bits =
        static_cast<std::uint32_t>(data[1]) | static_cast<std::uint32_t>(data[2]) << 8 |
        static_cast<std::uint32_t>(data[3]) << 16 | static_cast<std::uint32_t>(data[4]) << 24;
    return Canvas{(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, ((bits >> 28) & 1) != 0};
  }
  return fail(ErrorCode::kInvalidArgument, "damaged WebP: unreadable image header");
}

Bytes vp8x_data(const Canvas& canvas) {
  Bytes data(10, 0);
  data[0] = static_cast<std::uint8_t>(kXmpFlag | (canvas.alpha ? kAlphaFlag : 0));
  for (std::size_t i = 0; i < 3; ++i) {
    data[4 + i] = static_cast<std::uint8_t>((canvas.width - 1) >> (8 * i));
    data[7 + i] = static_cast<std::uint8_t>((canvas.height - 1) >> (8 * i));
  }
  return data;
}

Result<media::RiffLayout> walk_webp(ByteView file) {
  auto layout = media::walk_riff(file);
  if (!layout)
    return tl::unexpected(Error{layout.error().code, "damaged WebP: " + layout.error().message});
  if (layout->form != "WEBP") return fail(ErrorCode::kInvalidArgument, "not a WebP file");
  if (layout->chunks.empty()) return fail(ErrorCode::kInvalidArgument, "damaged WebP: no image");
  const std::string& first = layout->chunks.front().id;
  if (first != "VP8X" && first != "VP8 " && first != "VP8L") {
    return fail(ErrorCode::kInvalidArgument, "damaged WebP: first chunk is " + first);
  }
  if (first == "VP8X" && layout->chunks.front().data_size < 10) {
    return fail(ErrorCode::kInvalidArgument, "damaged WebP: short VP8X chunk");
  }
  return layout;
}
}  // namespace

bool WebpXmpCarrier::recognises(ByteView head) const {
  return head.size() >= 12 && as_chars(head.first(4)) == "RIFF" &&
         as_chars(head.subspan(8, 4)) == "WEBP";
}

Result<std::vector<std::string>> WebpXmpCarrier::packets(ByteView file) const {
  auto layout = walk_webp(file);
  if (!layout) return tl::unexpected(layout.error());
  std::vector<std::string> out;
  for (const auto& c : layout->chunks) {
    if (is_xmp(c)) out.emplace_back(as_chars(file.subspan(c.data_offset, c.data_size)));
  }
  return out;
}

Result<Bytes> WebpXmpCarrier::with_packet(ByteView file, std::string_view packet) const {
  auto layout = walk_webp(file);
  if (!layout) return tl::unexpected(layout.error());
  Bytes out(file.begin(), file.begin() + 12);
  const auto& first = layout->chunks.front();
  if (first.id != "VP8X") {
    auto canvas = simple_canvas(file, first);
    if (!canvas) return tl::unexpected(canvas.error());
    const Bytes vp8x = media::make_riff_chunk("VP8X", vp8x_data(*canvas));
    out.insert(out.end(), vp8x.begin(), vp8x.end());
  }
  for (const auto& c : layout->chunks) {
    if (is_xmp(c)) continue;
    const auto begin = out.size();
    out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(c.offset),
               file.begin() + static_cast<std::ptrdiff_t>(c.offset + c.size));
    if (c.id == "VP8X") out[begin + 8] |= kXmpFlag;
  }
  const Bytes xmp = media::make_riff_chunk("XMP ", as_bytes(packet));
  out.insert(out.end(), xmp.begin(), xmp.end());
  media::fix_riff_size(out);
  return out;
}

// The image without XMP and without VP8X, whose flags and presence change with the label.
Result<Sha256Digest> WebpXmpCarrier::digest_without_packets(ByteView file) const {
  auto layout = walk_webp(file);
  if (!layout) return tl::unexpected(layout.error());
  Sha256Hasher hasher;
  hasher.update(file.subspan(8, 4));
  for (const auto& c : layout->chunks) {
    if (!is_xmp(c) && c.id != "VP8X") hasher.update(file.subspan(c.offset, c.size));
  }
  return hasher.finish();
}

}  // namespace synthgate::metadata
