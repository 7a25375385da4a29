#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "identity/personal_data_vault.hpp"
#include "identity/verification_provider.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace synthgate::identity {

enum class UserKind { kIndividual, kOrganisation };
enum class UserState { kUnverified, kPending, kVerified, kSuspended };

std::string_view user_kind_name(UserKind kind);
std::optional<UserKind> parse_user_kind(std::string_view name);
std::string_view user_state_name(UserState state);

// A user as the records hold it: no plaintext personal data (that stays in the vault).
struct User {
  std::string id;
  UserKind kind = UserKind::kIndividual;
  UserState state = UserState::kUnverified;
  std::optional<std::string> verified_by;  // the method that verified the user
  std::optional<std::string> awaiting;     // "guardian_consent" while a minor waits for one
  std::optional<std::string> id_kind;      // kind of the ID number on record, if any
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct StateChange {
  std::string from;
  std::string to;
  std::string actor;
  std::string reason;
  std::int64_t time_ms = 0;
};

// What a registration may carry. Individuals give an ID number and/or a mobile number (or
// nothing, to verify with the national online identity token); organisations give their
// name and unified social credit code.
struct Registration {
  UserKind kind = UserKind::kIndividual;
  std::optional<std::string> name;
  std::optional<std::string> id_number;
  std::optional<std::string> phone;
  std::optional<std::string> credit_code;
  std::string actor = "system";
};

struct Verification {
  std::string id;
  std::string user_id;
  std::string method;
  std::string status;  // pending, passed, failed, expired, superseded
  int attempts = 0;
  std::int64_t expires_ms = 0;
  std::string message;
};

struct GuardianConsent {
  std::string guardian_name;
  std::string guardian_id_number;
  std::string relation;         // parent, legal_guardian, ...
  std::string evidence_sha256;  // hex digest of the signed consent document
  std::string actor = "system";
};

// Rules for minors. Under 14 a guardian's consent is always needed (PIPL Art. 31); for
// 14-17 the provider chooses.
struct MinorPolicy {
  enum class Under18 { kAllow, kGuardianConsent, kRefuse };
  Under18 under_18 = Under18::kAllow;
};

struct RegistryOptions {
  std::chrono::seconds code_lifetime{300};
  int max_attempts = 5;
  MinorPolicy minors;
};

// Users and their verification state, with its history. Every change is a row in
// identity_state_changes and an audit event.
class UserRegistry {
 public:
  UserRegistry(store::Store& store, audit::AuditLog& audit, PersonalDataVault& vault,
               const Clock& clock, IdGenerator& ids, RegistryOptions options = {});

  // Providers are looked up by method; the registry does not own them.
  void add_provider(VerificationProvider& provider);
  VerificationProvider* provider(std::string_view method) const;

  // Refuses a malformed ID number, mobile number or credit code with every reason, and
  // stores nothing.
  Result<User> create(const Registration& registration);
  Result<User> get(std::string_view user_id);
  Result<std::vector<StateChange>> history(std::string_view user_id);
  // Users whose ID number, mobile number or network identity matches exactly (blind index).
  Result<std::vector<std::string>> find(std::string_view field, std::string_view value);

  Result<Verification> start_verification(std::string_view user_id, std::string_view method,
                                          std::string_view actor);
  Result<Verification> verification(std::string_view verification_id);
  // A wrong response counts an attempt and changes nothing else; an expired, used or
  // exhausted verification is refused.
  Result<User> confirm(std::string_view user_id, std::string_view verification_id,
                       std::string_view response, std::string_view actor);
  Result<User> record_guardian_consent(std::string_view user_id, const GuardianConsent& consent);

  Result<User> suspend(std::string_view user_id, std::string_view reason, std::string_view actor);
  Result<User> reinstate(std::string_view user_id, std::string_view reason, std::string_view actor);

  // The gate the pipeline uses: verified and not suspended.
  Result<bool> can_generate(std::string_view user_id);

 private:
  struct AgeCheck {
    bool needs_guardian = false;
    bool refused = false;
    std::string reason;
  };
  Result<AgeCheck> check_age(const User& user);
  Result<Applicant> applicant(const User& user, const VerificationProvider& provider,
                              std::string_view actor);
  // Finishes a passed verification: verified, or pending while a guardian's consent is due.
  Result<User> complete(const User& user, const std::string& verification_id,
                        const std::string& method, const std::optional<std::string>& pseudonym,
                        std::string_view actor);
  Status record_change(store::Session& session, const std::string& user_id, UserState from,
                       UserState to, std::string_view actor, std::string_view reason);
  Result<User> read_user(store::Session& session, std::string_view user_id);
  Status audit_event(audit::EventType type, const std::string& user_id, std::string_view actor,
                     std::map<std::string, std::string> details);

  store::Store& store_;
  audit::AuditLog& audit_;
  PersonalDataVault& vault_;
  const Clock& clock_;
  IdGenerator& ids_;
  RegistryOptions options_;
  std::map<std::string, VerificationProvider*, std::less<>> providers_;
};

const store::MigrationSet& identity_migrations();

}  // namespace synthgate::identity
