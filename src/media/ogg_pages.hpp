#pragma once

#include <cstdint>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// A page of an Ogg bitstream (RFC 3533).
struct OggPage {
  std::size_t offset = 0;        // of "OggS"
  std::size_t size = 0;          // header + lacing + data
  std::uint8_t header_type = 0;  // 0x01 continued packet, 0x02 first page, 0x04 last page
  std::uint64_t granule = 0;
  std::uint32_t serial = 0;
  std::uint32_t sequence = 0;
  std::vector<std::uint8_t> lacing;
  std::size_t data_offset = 0;
  std::size_t data_size = 0;
};

// Walks every page: capture pattern, version 0, sizes inside the file and a matching CRC, so
// a truncated or corrupted file is refused.
Result<std::vector<OggPage>> walk_ogg(ByteView file);

// The Ogg CRC-32 (polynomial 0x04c11db7, no reflection) of `bytes`.
std::uint32_t ogg_crc(ByteView bytes);

// One page with its CRC filled in.
Bytes make_ogg_page(std::uint8_t header_type, std::uint64_t granule, std::uint32_t serial,
                    std::uint32_t sequence, const std::vector<std::uint8_t>& lacing, ByteView data);

// Lays packets out as pages (at most 255 lacing values each, a packet spanning pages marked
// as continued), numbered from `first_sequence`; every page gets `granule`.
std::vector<Bytes> page_packets(const std::vector<Bytes>& packets, std::uint32_t serial,
                                std::uint32_t first_sequence, std::uint64_t granule);

}  // namespace synthgate::media
