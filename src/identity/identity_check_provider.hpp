#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "core/secure_random.hpp"
#include "identity/signed_service_client.hpp"
#include "identity/verification_provider.hpp"

namespace synthgate::identity {

// Where the identity-check service is (name + ID number → match or not).
using IdentityCheckConfig = ServiceEndpoint;

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
