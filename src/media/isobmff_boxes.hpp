#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "media/byte_stream.hpp"

namespace synthgate::media {

// A box of an ISO base media file (MP4, MOV, M4A): big-endian size, four-character type,
// optional 64-bit size, payload.
struct IsoBox {
  std::string type;               // "moov", "mdat", ...
  std::uint64_t offset = 0;       // of the header, from the start of what was walked
  std::uint64_t size = 0;         // header + payload
  std::uint32_t header_size = 8;  // 8, or 16 with a 64-bit size
  bool to_end = false;            // size 0 in the file: the box runs to the end
  std::uint64_t payload_offset() const { return offset + header_size; }
  std::uint64_t payload_size() const { return size - header_size; }
};

// The boxes laid end to end in `data` (a file held in memory, or a container box's payload).
// Refuses a box that runs past the end (truncated) or whose size is smaller than its header.
Result<std::vector<IsoBox>> walk_boxes(ByteView data);

// The top-level boxes of a file, reading only their headers.
Result<std::vector<IsoBox>> walk_top_level_boxes(const ByteSource& file);

std::uint32_t read_be32(ByteView b, std::size_t at);
std::uint64_t read_be64(ByteView b, std::size_t at);
void append_be32(Bytes& out, std::uint32_t v);
void append_be64(Bytes& out, std::uint64_t v);

// A box with an 8-byte header around `payload`; refuses a payload of 4 GiB or more.
Result<Bytes> make_box(std::string_view type, ByteView payload);

}  // namespace synthgate::media
