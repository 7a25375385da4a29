#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "core/secure_random.hpp"
#include "identity/verification_provider.hpp"

namespace synthgate::identity {

// Where and how to reach an identity-check service (name + ID number → match or not).
struct IdentityCheckConfig {
  std::string host = "127.0.0.1";
  int port = 443;
  bool https = true;
  std::string path = "/v1/identity/verify";
  std::string app_id;
  SecretBytes secret;  // HMAC-SHA256 request-signing key shared with the service
  std::chrono::milliseconds timeout{3000};
  int retries = 2;                         // further tries after the first
  std::chrono::milliseconds backoff{200};  // doubled before each retry
};

// The request signature: hex HMAC-SHA256 over
// "POST\n<path>\n<timestamp ms>\n<nonce>\n<hex SHA-256 of the body>", sent in
// X-Signature beside X-App-Id, X-Timestamp and X-Nonce. Exposed so the service side (and
// the test fake) can check it.
std::string identity_check_signature(const SecretBytes& secret, std::string_view path,
                                     std::string_view timestamp, std::string_view nonce,
                                     std::string_view body);

// Calls the service over HTTP(S) with cpp-httplib: a JSON body {"name", "id_number",
// "request_id"}, answer {"result": "match" | "mismatch" | "not_found"}. Connection
// errors, timeouts, 429 and 5xx are retried with exponential backoff; other 4xx are not.
class IdentityCheckProvider final : public VerificationProvider {
 public:
  IdentityCheckProvider(IdentityCheckConfig config, RandomSource& random);
  std::string_view method() const override { return "id_check"; }
  bool needs_name_and_id() const override { return true; }
  Result<Started> start(const Applicant& applicant) override;
  Result<Checked> check(const Applicant&, std::string_view, std::string_view) override {
    return fail(ErrorCode::kFailedPrecondition, "an identity check completes when it starts");
  }

 private:
  IdentityCheckConfig config_;
  RandomSource& random_;
};

}  // namespace synthgate::identity
