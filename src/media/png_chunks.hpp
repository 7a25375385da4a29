#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

inline constexpr std::array<std::uint8_t, 8> kPngSignature = {0x89, 'P',  'N',  'G',
                                                              '\r', '\n', 0x1a, '\n'};

struct PngChunk {
  std::string type;        // four ASCII letters, e.g. "IHDR", "iTXt"
  std::size_t offset = 0;  // of the length field
  std::size_t size = 0;    // length + type + data + CRC
  std::size_t data_offset = 0;
  std::size_t data_size = 0;
};

// Walks a PNG file's chunks, checking every CRC. Refuses a file without the signature,
// whose first chunk is not IHDR, with a chunk running past the end, a bad CRC, no IDAT, or
// no IEND (truncated). Bytes after IEND are ignored.
Result<std::vector<PngChunk>> walk_png(ByteView file);

// A complete chunk (length, type, data, CRC) ready to splice into a file.
Bytes make_png_chunk(std::string_view type, ByteView data);

}  // namespace synthgate::media
