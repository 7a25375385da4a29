#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "core/result.hpp"
#include "server/api_key_registry.hpp"

namespace synthgate::cli {

// For `make run`: when no API key exists yet and `file` does not either, creates one
// unlimited key per role and writes their tokens to `file` (mode 0600). Returns role name ->
// token; nothing when it created none.
Result<std::map<std::string, std::string>> create_development_keys(
    server::ApiKeyRegistry& keys, const std::filesystem::path& file);

}  // namespace synthgate::cli
