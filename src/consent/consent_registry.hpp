#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "identity/personal_data_vault.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace synthgate::consent {

// What may be used of a person: "face", "voice", "body", "other_biometric".
bool is_modality(std::string_view name);

// A real person whose face, voice or body may appear in generated content. The name (and
// ID number, when given) are sealed in the personal-data vault.
struct Subject {
  std::string id;
  std::optional<std::string> user_id;  // when the subject is also a user
  bool minor_under_14 = false;         // from the ID number, when one was given
  std::int64_t created_ms = 0;
};

struct NewSubject {
  std::string name;
  std::optional<std::string> id_number;
  std::optional<std::string> user_id;
  std::string actor = "system";
};

struct Grant {
  std::string subject_id;
  std::vector<std::string> modalities;
  std::vector<std::string> purposes;  // e.g. "face_swap_video", "voice_clone"
  std::vector<std::string> services;  // service ids, or "*" for every service
  std::vector<std::string> users;     // user ids, or "*" for every user
  TimePoint valid_from{};
  TimePoint valid_until{};
  std::string granted_by = "subject";  // "subject" or "guardian"
  std::optional<std::string> guardian_name;
  std::string evidence_sha256;             // hex SHA-256 of the signed document
  std::optional<Bytes> evidence_document;  // the document itself, stored encrypted
  std::string actor = "system";
};

struct Consent {
  std::string id;
  std::string subject_id;
  std::vector<std::string> modalities;
  std::vector<std::string> purposes;
  std::vector<std::string> services;
  std::vector<std::string> users;
  std::int64_t valid_from_ms = 0;
  std::int64_t valid_until_ms = 0;
  std::string granted_by;
  std::string evidence_sha256;
  bool has_document = false;
  std::optional<std::int64_t> revoked_ms;
  std::string revoke_reason;
  std::int64_t created_ms = 0;
};

struct CheckRequest {
  std::vector<std::string> subjects;
  std::string modality;
  std::string service;
  std::string user;
  TimePoint time{};  // the epoch means now
};

// Why a subject's consent is missing: unknown_subject, no_consent (none for this
// modality), revoked, expired, not_yet_valid, service_not_covered, user_not_covered.
struct MissingConsent {
  std::string subject_id;
  std::string modality;
  std::string reason;
  std::optional<std::string> consent_id;  // the closest consent, when there is one
};

struct CheckResult {
  bool allowed = false;
  std::vector<std::string> consent_ids;  // the consents that allow it, one per subject
  std::vector<MissingConsent> missing;
};

// Subjects and consents. Every change (a subject, a grant, a revocation) is an audit event;
// a revocation takes effect at once: the next check no longer finds the consent.
class ConsentRegistry {
 public:
  ConsentRegistry(store::Store& store, audit::AuditLog& audit, identity::PersonalDataVault& vault,
                  const Clock& clock, IdGenerator& ids);

  Result<Subject> add_subject(const NewSubject& subject);
  Result<Subject> subject(std::string_view subject_id);

  Result<Consent> grant(const Grant& grant);
  Result<Consent> get(std::string_view consent_id);
  Result<std::vector<Consent>> consents_of(std::string_view subject_id);
  Result<Consent> revoke(std::string_view consent_id, std::string_view reason,
                         std::string_view actor);
  // The evidence document, decrypted (an audited read).
  Result<Bytes> evidence_document(std::string_view consent_id, std::string_view actor);

  // Allowed, or exactly which subject's consent is missing and why.
  Result<CheckResult> check(const CheckRequest& request);

 private:
  Result<std::vector<Consent>> read_consents(std::string_view where, const store::Params& params);
  Status audit_event(audit::EventType type, std::string_view actor,
                     std::map<std::string, std::string> subjects,
                     std::map<std::string, std::string> details);

  store::Store& store_;
  audit::AuditLog& audit_;
  identity::PersonalDataVault& vault_;
  const Clock& clock_;
  IdGenerator& ids_;
};

const store::MigrationSet& consent_migrations();

}  // namespace synthgate::consent
