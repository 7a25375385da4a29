#include "media/png_chunks.hpp"

#include <zlib.h>

#include <algorithm>

namespace synthgate::media {

namespace {
tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged PNG: " + why);
}

std::uint32_t read_u32(ByteView b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) << 24 | static_cast<std::uint32_t>(b[at + 1]) << 16 |
         static_cast<std::uint32_t>(b[at + 2]) << 8 | static_cast<std::uint32_t>(b[at + 3]);
}

void put_u32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint32_t chunk_crc(ByteView type_and_data) {
  return static_cast<std::uint32_t>(
      crc32(0L, type_and_data.data(), static_cast<uInt>(type_and_data.size())));
}
}  // namespace

Result<std::vector<PngChunk>> walk_png(ByteView file) {
  if (file.size() < kPngSignature.size() ||
      !std::equal(kPngSignature.begin(), kPngSignature.end(), file.begin())) {
    return fail(ErrorCode::kInvalidArgument, "not a PNG file (no PNG signature)");
  }
  std::vector<PngChunk> chunks;
  std::size_t pos = kPngSignature.size();
  bool ended = false, has_idat = false;
  while (!ended) {
    if (pos + 12 > file.size()) return damaged("the file ends inside a chunk (truncated)");
    const std::size_t length = read_u32(file, pos);
    if (length > 0x7fffffffu || length > file.size() - pos - 12) {
      return damaged("chunk at offset " + std::to_string(pos) + " runs past the end");
    }
    PngChunk chunk;
    chunk.type.assign(reinterpret_cast<const char*>(file.data() + pos + 4), 4);
    for (char c : chunk.type) {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return damaged("bad chunk type");
    }
    chunk.offset = pos;
    chunk.size = length + 12;
    chunk.data_offset = pos + 8;
    chunk.data_size = length;
    if (read_u32(file, pos + 8 + length) != chunk_crc(file.subspan(pos + 4, length + 4))) {
      return damaged(chunk.type + " chunk at offset " + std::to_string(pos) + " has a bad CRC");
    }
    if (chunks.empty() && chunk.type != "IHDR") return damaged("the first chunk is not IHDR");
    has_idat = has_idat || chunk.type == "IDAT";
    ended = chunk.type == "IEND";
    chunks.push_back(std::move(chunk));
    pos += length + 12;
  }
  if (!has_idat) return damaged("no image data (IDAT)");
  return chunks;
}

Bytes make_png_chunk(std::string_view type, ByteView data) {
  Bytes out;
  out.reserve(data.size() + 12);
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  put_u32(out, chunk_crc(ByteView(out).subspan(4)));
  return out;
}

}  // namespace synthgate::media
