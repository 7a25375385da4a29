#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// One top-level block of a GIF (87a/89a) data stream after the header, logical screen
// descriptor and global colour table.
struct GifBlock {
  enum class Kind { kExtension, kImage, kTrailer };
  Kind kind = Kind::kExtension;
  std::uint8_t label = 0;          // extension label (0xFF application, 0xF9 graphic control, ...)
  std::string application;         // for an application extension: the 11-byte identifier
  std::size_t offset = 0;          // of the introducer (0x21, 0x2C or 0x3B)
  std::size_t size = 0;            // through the block terminator
  std::size_t payload_offset = 0;  // application extensions: first byte after the identifier
};

struct GifLayout {
  std::size_t header_size = 0;   // signature, screen descriptor and global colour table
  std::vector<GifBlock> blocks;  // ends with the trailer
};

// Walks a GIF's blocks. Refuses a file without the GIF87a/GIF89a signature, one whose
// sub-blocks run past the end, an unknown introducer, no image, or no trailer (truncated).
// Bytes after the trailer are ignored.
Result<GifLayout> walk_gif(ByteView file);

}  // namespace synthgate::media
