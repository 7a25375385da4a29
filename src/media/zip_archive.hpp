#pragma once

#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// A zip archive (OOXML packages, ...) read and rewritten through libzip: no zip codec of
// our own. Archives come from outside, so sizes are capped.
struct ZipEntry {
  std::string name;
  Bytes data;  // uncompressed
};

inline constexpr std::size_t kMaxZipEntries = 65535;
inline constexpr std::size_t kMaxZipUncompressed = std::size_t{512} << 20;

// Every entry of the archive, decompressed and CRC-checked. Refuses what libzip cannot open
// with its consistency check (truncated, no central directory), encrypted entries, more
// than kMaxZipEntries entries or kMaxZipUncompressed bytes in all.
Result<std::vector<ZipEntry>> read_zip(ByteView file);

// The archive with each of `replacements` added, or put in place of the entry of the same
// name; the other entries are copied without recompression.
Result<Bytes> rewrite_zip(ByteView file, const std::vector<ZipEntry>& replacements);

}  // namespace synthgate::media
