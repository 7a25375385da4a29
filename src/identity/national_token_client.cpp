#include "identity/national_token_client.hpp"

#include "core/encoding.hpp"

namespace synthgate::identity {

Result<TokenClaims> NationalTokenClient::verify(std::string_view token) {
  auto answer = post_signed(
      endpoint_, "national identity service",
      nlohmann::json{{"token", std::string(token)}, {"request_id", hex_encode(random_.bytes(16))}},
      random_);
  if (!answer) return tl::unexpected(answer.error());
  const auto text = [&](const char* key) -> std::string {
    const auto it = answer->find(key);
    return it != answer->end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string result = text("result");
  if (result == "valid") {
    TokenClaims claims{text("network_id")};
    if (claims.network_id.empty()) {
      return fail(ErrorCode::kUnavailable, "national identity service sent no network_id");
    }
    return claims;
  }
  if (result == "invalid") {
    const std::string reason = text("reason");
    return fail(ErrorCode::kInvalidArgument, reason.empty() ? "invalid token" : reason);
  }
  return fail(ErrorCode::kUnavailable, "national identity service sent a malformed answer");
}

}  // namespace synthgate::identity
