#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "identity/verification_provider.hpp"

namespace synthgate::identity {

// What the national online identity service (国家网络身份认证, 网号/网证) vouches for: a
// network identity number, a pseudonym unique per person, and no plaintext ID number.
struct TokenClaims {
  std::string network_id;
};

// Checks a token with the national service. The service's interface is issued to
// providers under agreement; a deployment supplies this with its client.
class TokenVerifier {
 public:
  virtual ~TokenVerifier() = default;
  // kInvalidArgument for a token the service refuses; kUnavailable when it cannot be asked.
  virtual Result<TokenClaims> verify(std::string_view token) = 0;
};

// Verification by national online identity token: the user presents a token, the verifier
// checks it, and only the blind index and sealed value of the network identity number are
// stored. No ID number is asked for or kept.
class NationalTokenProvider final : public VerificationProvider {
 public:
  explicit NationalTokenProvider(TokenVerifier& verifier) : verifier_(verifier) {}
  std::string_view method() const override { return "national_token"; }
  Result<Started> start(const Applicant&) override {
    return Started{Started::Outcome::kAwaitingResponse, "-",
                   "present a national online identity token"};
  }
  Result<Checked> check(const Applicant&, std::string_view, std::string_view token) override {
    if (token.empty() || token.size() > 8192) {
      return Checked{false, "the token is empty or too long", {}};
    }
    auto claims = verifier_.verify(token);
    if (!claims) {
      if (claims.error().code == ErrorCode::kInvalidArgument) {
        return Checked{false, "the token was refused: " + claims.error().message, {}};
      }
      return tl::unexpected(claims.error());
    }
    if (claims->network_id.empty()) {
      return Checked{false, "the token carries no network identity", {}};
    }
    return Checked{true, "token accepted", claims->network_id};
  }

 private:
  TokenVerifier& verifier_;
};

}  // namespace synthgate::identity
