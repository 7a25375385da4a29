#include "server/json_body.hpp"

namespace synthgate::server {

using nlohmann::json;

Result<json> parse_json_object(std::string_view text) {
  auto body = json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return fail(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  }
  return body;
}

Result<std::optional<std::string>> optional_string(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::optional<std::string>();
  if (!body[key].is_string()) {
    return fail(ErrorCode::kInvalidArgument, std::string(key) + " must be a string");
  }
  return std::optional<std::string>(body[key].get<std::string>());
}

Result<std::string> required_string(const json& body, const char* key) {
  auto value = optional_string(body, key);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return fail(ErrorCode::kInvalidArgument, std::string(key) + " is required");
  return **value;
}

Result<std::vector<std::string>> optional_string_list(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return std::vector<std::string>();
  return required_string_list(body, key);
}

Result<std::vector<std::string>> required_string_list(const json& body, const char* key) {
  std::vector<std::string> out;
  const auto fail_list = [&] {
    return fail(ErrorCode::kInvalidArgument, std::string(key) + " must be an array of strings");
  };
  if (!body.contains(key) || !body[key].is_array()) return fail_list();
  for (const auto& item : body[key]) {
    if (!item.is_string()) return fail_list();
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace synthgate::server
