#pragma once

#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// A chunk of a RIFF file (WebP, WAV, AVI): four-character id, little-endian size, data, and
// a pad byte when the size is odd.
struct RiffChunk {
  std::string id;          // e.g. "VP8X", "XMP ", "fmt "
  std::size_t offset = 0;  // of the id
  std::size_t size = 0;    // id + size field + data + pad
  std::size_t data_offset = 0;
  std::size_t data_size = 0;
};

struct RiffLayout {
  std::string form;  // "WEBP", "WAVE", ...
  std::vector<RiffChunk> chunks;
};

// Walks the top-level chunks of a RIFF file. Refuses a file whose RIFF size or chunk sizes
// run past the end (truncated); bytes after the RIFF size are ignored.
Result<RiffLayout> walk_riff(ByteView file);

// The chunks laid end to end in `body` (a LIST chunk's data after its list type), offsets
// counted from `base`. Refuses a chunk that runs past the end.
Result<std::vector<RiffChunk>> walk_riff_chunks(ByteView body, std::size_t base = 0);

// A chunk ready to splice in (pad byte added for odd sizes).
Bytes make_riff_chunk(std::string_view id, ByteView data);

// Sets the RIFF size field of a whole file to its length.
void fix_riff_size(Bytes& file);

}  // namespace synthgate::media
