#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace synthgate::identity {

// What a provider is told about the applicant: plaintext read from the vault for this one
// call, never stored by the provider.
struct Applicant {
  std::string user_id;
  std::optional<std::string> name;
  std::optional<std::string> id_number;
  std::optional<std::string> phone;
};

// The result of starting a verification.
struct Started {
  enum class Outcome { kAwaitingResponse, kPassed, kRejected };
  Outcome outcome = Outcome::kAwaitingResponse;
  // What the provider needs to check the response later (a salted code digest); stored
  // with the verification, never the secret itself.
  std::string state;
  std::string message;  // shown to the user: "code sent", "name and number do not match"
};

// The result of checking a response (a code, a token, an operator's decision).
struct Checked {
  bool passed = false;
  std::string message;
  // A stable pseudonym the provider vouches for (the national identity token's network
  // number); the registry stores only its blind index.
  std::optional<std::string> pseudonym;
};

// One way to verify a user's real identity. The registry owns the records (expiry,
// attempts, single use, state history); a provider only talks to the outside.
class VerificationProvider {
 public:
  virtual ~VerificationProvider() = default;
  // "sms_code", "id_check", "national_token", "manual".
  virtual std::string_view method() const = 0;
  // The vault fields the provider needs from the applicant ("phone", "name", "id_number").
  virtual bool needs_phone() const { return false; }
  virtual bool needs_name_and_id() const { return false; }
  // Whether responses must come from an operator (the HTTP route checks the role).
  virtual bool operator_only() const { return false; }
  virtual Result<Started> start(const Applicant& applicant) = 0;
  virtual Result<Checked> check(const Applicant& applicant, std::string_view state,
                                std::string_view response) = 0;
};

}  // namespace synthgate::identity
