#pragma once

#include <filesystem>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate {

// Reads a whole file, refusing one larger than `max_bytes`.
Result<Bytes> read_file(const std::filesystem::path& path,
                        std::size_t max_bytes = std::size_t{1} << 31);

// SHA-256 of a file, read in pieces (media files are not held whole), as lowercase hex.
Result<std::string> sha256_of_file(const std::filesystem::path& path);

// Writes `bytes` to a temporary file beside `path`, syncs it, renames it into place and
// syncs the directory: readers see the old file or the new one, never half of one, and a
// failure leaves nothing behind.
Status write_file_atomically(const std::filesystem::path& path, ByteView bytes);

// Refuses an output path that exists but is not a regular file (a directory, a device such
// as /dev/null, a socket): renaming a finished file onto it would replace the node itself.
Status check_output_path(const std::filesystem::path& path);

// Whether two paths name the same existing file (so an output would overwrite an input).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace synthgate
