#pragma once

#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace synthgate::moderation {

// The decompressed contents of a .bz2 file (Debian ships Unihan only in this form).
Result<std::string> read_bzip2_file(const std::filesystem::path& path);

}  // namespace synthgate::moderation
