#pragma once

#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"

namespace synthgate {

// Reads a key file. Refuses one that group or others may read or write: a key that other
// accounts on the machine can see is not a secret any more.
Result<std::string> read_key_file(const std::filesystem::path& path);

// A symmetric key stored as hexadecimal text (whitespace around it ignored).
Result<SecretBytes> read_symmetric_key_file(const std::filesystem::path& path,
                                            std::size_t expected_size);

// Writes a key file with mode 0600 through a temporary file and a rename, so a reader
// never sees half a key. Refuses to replace an existing file.
Status write_new_key_file(const std::filesystem::path& path, std::string_view contents);

}  // namespace synthgate
