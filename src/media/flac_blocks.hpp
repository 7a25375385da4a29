#pragma once

#include <cstdint>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// A FLAC metadata block: 1-byte header (last flag, type), 24-bit size, data.
struct FlacBlock {
  std::uint8_t type = 0;  // 0 STREAMINFO, 1 PADDING, 4 VORBIS_COMMENT, ...
  std::size_t offset = 0;
  std::size_t data_offset = 0;
  std::size_t data_size = 0;
};

struct FlacLayout {
  std::vector<FlacBlock> blocks;
  std::size_t audio_offset = 0;  // the first frame
};

// Walks "fLaC" and the metadata blocks (STREAMINFO first), then checks the audio: it starts
// with a frame header and the last frame's CRC-16 matches, so a truncated file is refused.
Result<FlacLayout> walk_flac(ByteView file);

// A metadata block; `last` sets the last-block flag. Refuses data of 16 MiB or more.
Result<Bytes> make_flac_block(std::uint8_t type, bool last, ByteView data);

}  // namespace synthgate::media
