#pragma once

#include "identity/verification_provider.hpp"

namespace synthgate::identity {

// An operator checks an organisation's papers (licence, authorisation letter) and answers
// "approve" or "reject". Responses are accepted only from the operator role.
class ManualReviewProvider final : public VerificationProvider {
 public:
  std::string_view method() const override { return "manual"; }
  bool operator_only() const override { return true; }
  Result<Started> start(const Applicant&) override {
    return Started{Started::Outcome::kAwaitingResponse, "-",
                   "waiting for an operator to check the documents"};
  }
  Result<Checked> check(const Applicant&, std::string_view, std::string_view response) override {
    if (response == "approve") return Checked{true, "approved by an operator", {}};
    if (response == "reject") return Checked{false, "rejected by an operator", {}};
    return fail(ErrorCode::kInvalidArgument, "an operator answers approve or reject");
  }
};

}  // namespace synthgate::identity
