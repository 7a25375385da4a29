#pragma once

#include <cstdint>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// An EBML element (Matroska, WebM): variable-length ID (marker bits kept), variable-length
// size, data.
struct EbmlElement {
  std::uint32_t id = 0;
  std::size_t offset = 0;       // of the ID, from the start of what was walked (plus base)
  std::size_t header_size = 0;  // ID + size field
  std::size_t size_width = 0;   // bytes of the size field
  std::size_t data_size = 0;
  std::size_t data_offset() const { return offset + header_size; }
  std::size_t end() const { return offset + header_size + data_size; }
};

namespace ebml_id {
constexpr std::uint32_t kHeader = 0x1A45DFA3, kDocType = 0x4282, kSegment = 0x18538067,
                        kSeekHead = 0x114D9B74, kSeek = 0x4DBB, kSeekId = 0x53AB,
                        kSeekPosition = 0x53AC, kVoid = 0xEC, kCrc32 = 0xBF, kTags = 0x1254C367,
                        kTag = 0x7373, kTargets = 0x63C0, kSimpleTag = 0x67C8, kTagName = 0x45A3,
                        kTagString = 0x4487, kCluster = 0x1F43B675;
}  // namespace ebml_id

// The elements laid end to end in `data`, offsets counted from `base`. Refuses an element
// that runs past the end, an unknown size ("live" streams) and IDs or sizes over 8 bytes.
Result<std::vector<EbmlElement>> walk_ebml(ByteView data, std::size_t base = 0);

// An unsigned integer element's value (1-8 bytes, big-endian).
std::uint64_t ebml_uint(ByteView data);

Bytes ebml_id_bytes(std::uint32_t id);
// A size field of exactly `width` bytes (1-8), or of the fewest bytes when width is 0.
// Refuses a value that does not fit.
Result<Bytes> ebml_size_bytes(std::uint64_t size, std::size_t width = 0);
Bytes ebml_element(std::uint32_t id, ByteView data);
Bytes ebml_uint_element(std::uint32_t id, std::uint64_t value);
// A Void element of exactly `total` bytes (2 or more).
Bytes ebml_void(std::size_t total);

}  // namespace synthgate::media
