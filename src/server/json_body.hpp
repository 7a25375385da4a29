#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::server {

// Reading request bodies: every refusal is kInvalidArgument naming the field.
Result<nlohmann::json> parse_json_object(std::string_view text);
Result<std::optional<std::string>> optional_string(const nlohmann::json& body, const char* key);
Result<std::string> required_string(const nlohmann::json& body, const char* key);
// An array of strings, which must be there.
Result<std::vector<std::string>> required_string_list(const nlohmann::json& body, const char* key);
// Absent or null: empty. Otherwise an array of strings.
Result<std::vector<std::string>> optional_string_list(const nlohmann::json& body, const char* key);

}  // namespace synthgate::server
