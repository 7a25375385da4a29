#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// One 12-byte entry of a TIFF image file directory.
struct TiffEntry {
  std::uint16_t tag = 0;
  std::uint16_t type = 0;
  std::uint32_t count = 0;
  std::size_t value_offset = 0;  // where the value bytes are (inside the entry when <= 4)
  std::size_t value_size = 0;    // count * size of the type (0 for an unknown type)
};

struct TiffIfd {
  std::size_t offset = 0;  // of the entry count
  std::vector<TiffEntry> entries;
};

struct TiffLayout {
  bool little_endian = true;
  std::vector<TiffIfd> ifds;  // the IFD0 chain (IFD0, IFD1, ...)
  // (offset, size) of every strip or tile of image data the chain's IFDs point at.
  std::vector<std::pair<std::size_t, std::size_t>> image_data;
};

inline constexpr std::uint16_t kTiffXmpTag = 700;

// Walks a classic TIFF (little or big endian): the IFD chain from the header, every entry's
// value and every strip or tile. Refuses a file without the TIFF header, BigTIFF, an IFD or
// value or strip running past the end (truncated) or overlapping the 8-byte header, a loop in
// the chain, or an IFD0 with no image data.
Result<TiffLayout> walk_tiff(ByteView file);

// Byte order helpers for a layout's file.
std::uint32_t tiff_u32(ByteView file, std::size_t at, bool little_endian);
std::uint16_t tiff_u16(ByteView file, std::size_t at, bool little_endian);

}  // namespace synthgate::media
