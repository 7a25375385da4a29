#include "identity/identity_check_provider.hpp"

#include <nlohmann/json.hpp>

#include "core/digest.hpp"
#include "identity/signed_service_client.hpp"

namespace synthgate::identity {

IdentityCheckProvider::IdentityCheckProvider(IdentityCheckConfig config, RandomSource& random)
    : config_(std::move(config)), random_(random) {}

Result<Started> IdentityCheckProvider::start(const Applicant& applicant) {
  if (!applicant.name || !applicant.id_number) {
    return fail(ErrorCode::kFailedPrecondition, "an identity check needs a name and ID number");
  }
  const std::string request_id = hex_encode(random_.bytes(16));
  auto answer = post_signed(config_, "identity check service",
                            nlohmann::json{{"name", *applicant.name},
                                           {"id_number", *applicant.id_number},
                                           {"request_id", request_id}},
                            random_);
  if (!answer) return tl::unexpected(answer.error());
  if (!answer->contains("result") || !(*answer)["result"].is_string()) {
    return fail(ErrorCode::kUnavailable, "identity check service sent a malformed answer");
  }
  const std::string result = (*answer)["result"].get<std::string>();
  Started out;
  out.state = "-";
  if (result == "match") {
    out.outcome = Started::Outcome::kPassed;
    out.message = "name and ID number match";
  } else if (result == "mismatch" || result == "not_found") {
    out.outcome = Started::Outcome::kRejected;
    out.message =
        result == "mismatch" ? "name and ID number do not match" : "the ID number is not on record";
  } else {
    return fail(ErrorCode::kUnavailable, "identity check service answered " + result);
  }
  return out;
}

}  // namespace synthgate::identity
