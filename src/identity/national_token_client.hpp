#pragma once

#include <string_view>

#include "core/secure_random.hpp"
#include "identity/national_token_provider.hpp"
#include "identity/signed_service_client.hpp"

namespace synthgate::identity {

// Asks the national online identity service whether a token is genuine, over HTTP(S) with the
// same signed requests as the identity-check service. The service's real interface is issued
// to providers under agreement; this client speaks the shape a deployment's adapter exposes:
// request {"token", "request_id"}, answer {"result": "valid", "network_id"} or
// {"result": "invalid", "reason"}.
class NationalTokenClient final : public TokenVerifier {
 public:
  NationalTokenClient(ServiceEndpoint endpoint, RandomSource& random)
      : endpoint_(std::move(endpoint)), random_(random) {}
  Result<TokenClaims> verify(std::string_view token) override;

 private:
  ServiceEndpoint endpoint_;
  RandomSource& random_;
};

}  // namespace synthgate::identity
