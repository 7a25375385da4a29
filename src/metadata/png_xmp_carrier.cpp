#include "metadata/png_xmp_carrier.hpp"

#include <zlib.h>

#include <algorithm>

#include "media/png_chunks.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kXmpKeyword = "XML:com.adobe.xmp";
constexpr std::size_t kMaxInflated = 16u << 20;  // an XMP packet is kilobytes, not megabytes

bool is_xmp(ByteView file, const media::PngChunk& c) {
  return c.type == "iTXt" && c.data_size > kXmpKeyword.size() &&
         as_chars(file.subspan(c.data_offset, kXmpKeyword.size())) == kXmpKeyword &&
         file[c.data_offset + kXmpKeyword.size()] == 0;
}

Result<std::string> inflate(ByteView compressed) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return fail(ErrorCode::kInternal, "zlib init failed");
  std::string out;
  std::array<char, 16384> buffer{};
  z.next_in = const_cast<Bytef*>(compressed.data());  // zlib's API is not const-correct
  z.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer.data());
    z.avail_out = static_cast<uInt>(buffer.size());
    rc = ::inflate(&z, Z_NO_FLUSH);
    out.append(buffer.data(), buffer.size() - z.avail_out);
    if (out.size() > kMaxInflated) rc = Z_MEM_ERROR;
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END)
    return fail(ErrorCode::kInvalidArgument, "damaged PNG: bad compressed XMP");
  return out;
}

// iTXt: keyword NUL, compression flag, method, language NUL, translated keyword NUL, text.
Result<std::string> itxt_text(ByteView data) {
  std::size_t pos = kXmpKeyword.size() + 1;
  if (pos + 2 > data.size()) return fail(ErrorCode::kInvalidArgument, "damaged PNG: short iTXt");
  const bool compressed = data[pos] != 0;
  pos += 2;
  for (int field = 0; field < 2; ++field) {
    const auto nul = std::find(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end(), 0);
    if (nul == data.end()) return fail(ErrorCode::kInvalidArgument, "damaged PNG: bad iTXt");
    pos = static_cast<std::size_t>(nul - data.begin()) + 1;
  }
  const ByteView text = data.subspan(pos);
  if (compressed) return inflate(text);
  return std::string(as_chars(text));
}
}  // namespace

bool PngXmpCarrier::recognises(ByteView head) const {
  return head.size() >= media::kPngSignature.size() &&
         std::equal(media::kPngSignature.begin(), media::kPngSignature.end(), head.begin());
}

Result<std::vector<std::string>> PngXmpCarrier::packets(ByteView file) const {
  auto chunks = media::walk_png(file);
  if (!chunks) return tl::unexpected(chunks.error());
  std::vector<std::string> out;
  for (const auto& c : *chunks) {
    if (!is_xmp(file, c)) continue;
    auto text = itxt_text(file.subspan(c.data_offset, c.data_size));
    if (!text) return tl::unexpected(text.error());
    out.push_back(std::move(*text));
  }
  return out;
}

Result<Bytes> PngXmpCarrier::with_packet(ByteView file, std::string_view packet) const {
  auto chunks = media::walk_png(file);
  if (!chunks) return tl::unexpected(chunks.error());
  Bytes data(kXmpKeyword.begin(), kXmpKeyword.end());
  data.insert(data.end(),
              {0, 0, 0, 0, 0});  // NUL, uncompressed, method 0, no language, no translation
  data.insert(data.end(), packet.begin(), packet.end());
  const Bytes chunk = media::make_png_chunk("iTXt", data);

  Bytes out(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(media::kPngSignature.size()));
  out.reserve(file.size() + chunk.size());
  for (const auto& c : *chunks) {
    if (is_xmp(file, c)) continue;
    out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(c.offset),
               file.begin() + static_cast<std::ptrdiff_t>(c.offset + c.size));
    if (c.type == "IHDR") out.insert(out.end(), chunk.begin(), chunk.end());
  }
  return out;
}

Result<Sha256Digest> PngXmpCarrier::digest_without_packets(ByteView file) const {
  auto chunks = media::walk_png(file);
  if (!chunks) return tl::unexpected(chunks.error());
  Sha256Hasher hasher;
  hasher.update(file.first(media::kPngSignature.size()));
  for (const auto& c : *chunks) {
    if (!is_xmp(file, c)) hasher.update(file.subspan(c.offset, c.size));
  }
  return hasher.finish();
}

}  // namespace synthgate::metadata
