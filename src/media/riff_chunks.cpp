#include "media/riff_chunks.hpp"

namespace synthgate::media {

namespace {
std::uint32_t le32(ByteView b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

void put_le32(Bytes& out, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

bool is_fourcc(ByteView b) {
  for (std::uint8_t c : b) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
}  // namespace

Result<RiffLayout> walk_riff(ByteView file) {
  if (file.size() < 12 || as_chars(file.first(4)) != "RIFF" || !is_fourcc(file.subspan(8, 4))) {
    return fail(ErrorCode::kInvalidArgument, "not a RIFF file");
  }
  RiffLayout layout;
  layout.form = std::string(as_chars(file.subspan(8, 4)));
  const std::size_t riff_size = le32(file, 4);
  if (riff_size < 4 || riff_size > file.size() - 8) {
    return fail(ErrorCode::kInvalidArgument,
                "damaged RIFF: the file is shorter than its RIFF size (truncated)");
  }
  const std::size_t end = 8 + riff_size;
  std::size_t pos = 12;
  while (pos < end) {
    // Chunk ids are not checked for printable characters: writers in use emit ids such as
    // "XMP\0" (ImageMagick 6), and a reader must still walk past them.
    if (end - pos < 8) {
      return fail(ErrorCode::kInvalidArgument,
                  "damaged RIFF: bad chunk at offset " + std::to_string(pos));
    }
    const std::size_t data_size = le32(file, pos + 4);
    const std::size_t padded = data_size + (data_size & 1);
    if (padded > end - pos - 8) {
      // A missing pad byte after the last chunk is a common writer slip; accept exactly that.
      if (data_size != end - pos - 8) {
        return fail(ErrorCode::kInvalidArgument,
                    "damaged RIFF: chunk at offset " + std::to_string(pos) + " runs past the end");
      }
    }
    RiffChunk chunk{std::string(as_chars(file.subspan(pos, 4))), pos,
                    std::min(padded, end - pos - 8) + 8, pos + 8, data_size};
    pos += chunk.size;
    layout.chunks.push_back(std::move(chunk));
  }
  return layout;
}

Result<std::vector<RiffChunk>> walk_riff_chunks(ByteView body, std::size_t base) {
  std::vector<RiffChunk> chunks;
  std::size_t pos = 0;
  while (pos < body.size()) {
    if (body.size() - pos < 8) {
      return fail(ErrorCode::kInvalidArgument,
                  "damaged RIFF: bad sub-chunk at offset " + std::to_string(base + pos));
    }
    const std::size_t data_size = le32(body, pos + 4);
    if (data_size > body.size() - pos - 8) {
      return fail(ErrorCode::kInvalidArgument, "damaged RIFF: sub-chunk at offset " +
                                                   std::to_string(base + pos) +
                                                   " runs past its list");
    }
    const std::size_t padded = std::min(data_size + (data_size & 1), body.size() - pos - 8);
    chunks.push_back(RiffChunk{std::string(as_chars(body.subspan(pos, 4))), base + pos, padded + 8,
                               base + pos + 8, data_size});
    pos += padded + 8;
  }
  return chunks;
}

Bytes make_riff_chunk(std::string_view id, ByteView data) {
  Bytes out(8 + data.size() + (data.size() & 1), 0);
  std::copy(id.begin(), id.end(), out.begin());
  put_le32(out, 4, static_cast<std::uint32_t>(data.size()));
  std::copy(data.begin(), data.end(), out.begin() + 8);
  return out;
}

void fix_riff_size(Bytes& file) {
  put_le32(file, 4, static_cast<std::uint32_t>(file.size() - 8));
}

}  // namespace synthgate::media
