#include "media/flac_blocks.hpp"

namespace synthgate::media {

namespace {
tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged FLAC: " + why);
}

std::uint8_t crc8(ByteView data) {
  std::uint8_t crc = 0;
  for (std::uint8_t byte : data) {
    crc ^= byte;
    for (int i = 0; i < 8; ++i)
      crc = static_cast<std::uint8_t>((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
  }
  return crc;
}

std::uint16_t crc16(ByteView data) {
  std::uint16_t crc = 0;
  for (std::uint8_t byte : data) {
    crc = static_cast<std::uint16_t>(crc ^ (byte << 8));
    for (int i = 0; i < 8; ++i) {
      crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x8005 : crc << 1);
    }
  }
  return crc;
}

// The length of the frame header at `at` when it is a valid one (its CRC-8 matches), else 0.
std::size_t frame_header_length(ByteView file, std::size_t at) {
  const ByteView h = file.subspan(at);
  if (h.size() < 6 || h[0] != 0xff || (h[1] & 0xfe) != 0xf8) return 0;
  const int block_size = h[2] >> 4;
  const int rate = h[2] & 0x0f;
  if (block_size == 0 || rate == 15) return 0;
  std::size_t pos = 4;
  // The UTF-8-style coded frame or sample number.
  const std::uint8_t first = h[pos];
  int extra = 0;
  if ((first & 0x80) == 0) {
    extra = 0;
  } else if ((first & 0xe0) == 0xc0) {
    extra = 1;
  } else if ((first & 0xf0) == 0xe0) {
    extra = 2;
  } else if ((first & 0xf8) == 0xf0) {
    extra = 3;
  } else if ((first & 0xfc) == 0xf8) {
    extra = 4;
  } else if ((first & 0xfe) == 0xfc) {
    extra = 5;
  } else if (first == 0xfe) {
    extra = 6;
  } else {
    return 0;
  }
  pos += 1 + static_cast<std::size_t>(extra);
  if (block_size == 6) pos += 1;
  if (block_size == 7) pos += 2;
  if (rate == 12) pos += 1;
  if (rate == 13 || rate == 14) pos += 2;
  if (h.size() < pos + 1) return 0;
  return crc8(h.first(pos)) == h[pos] ? pos + 1 : 0;
}
}  // namespace

Result<FlacLayout> walk_flac(ByteView file) {
  if (file.size() < 4 || as_chars(file.first(4)) != "fLaC") {
    return fail(ErrorCode::kInvalidArgument, "not a FLAC file");
  }
  FlacLayout layout;
  std::size_t pos = 4;
  bool last = false;
  while (!last) {
    if (file.size() - pos < 4) return damaged("a metadata block header is cut off (truncated)");
    last = (file[pos] & 0x80) != 0;
    const auto type = static_cast<std::uint8_t>(file[pos] & 0x7f);
    const std::size_t size = static_cast<std::size_t>(file[pos + 1]) << 16 |
                             static_cast<std::size_t>(file[pos + 2]) << 8 | file[pos + 3];
    if (type == 127) return damaged("invalid metadata block type");
    if (size > file.size() - pos - 4)
      return damaged("a metadata block runs past the end (truncated)");
    if (layout.blocks.empty() && (type != 0 || size != 34))
      return damaged("STREAMINFO is not first");
    layout.blocks.push_back(FlacBlock{type, pos, pos + 4, size});
    pos += 4 + size;
  }
  layout.audio_offset = pos;
  if (frame_header_length(file, pos) == 0) return damaged("no audio frame after the metadata");
  // The last frame: the last valid frame header whose CRC-16 runs to the end of the file.
  if (file.size() - pos < 2) return damaged("the audio is cut off (truncated)");
  const std::uint16_t stored =
      static_cast<std::uint16_t>(file[file.size() - 2] << 8 | file[file.size() - 1]);
  // STREAMINFO's maximum frame size bounds the search (0: unknown, then 64 KiB).
  const ByteView info = file.subspan(layout.blocks.front().data_offset, 34);
  std::size_t window =
      static_cast<std::size_t>(info[7]) << 16 | static_cast<std::size_t>(info[8]) << 8 | info[9];
  if (window == 0) window = std::size_t{64} << 10;
  const std::size_t stop = file.size() - pos > window ? file.size() - window : pos;
  for (std::size_t at = file.size() - 1; at-- > stop;) {
    if (file[at] != 0xff || frame_header_length(file, at) == 0) continue;
    if (crc16(file.subspan(at, file.size() - 2 - at)) == stored) return layout;
  }
  return damaged("the last audio frame is cut off or corrupt (truncated)");
}

Result<Bytes> make_flac_block(std::uint8_t type, bool last, ByteView data) {
  if (data.size() >= (std::size_t{1} << 24)) {
    return fail(ErrorCode::kInvalidArgument, "a FLAC metadata block must be under 16 MiB");
  }
  Bytes out = {static_cast<std::uint8_t>(type | (last ? 0x80 : 0)),
               static_cast<std::uint8_t>(data.size() >> 16),
               static_cast<std::uint8_t>(data.size() >> 8), static_cast<std::uint8_t>(data.size())};
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

}  // namespace synthgate::media
