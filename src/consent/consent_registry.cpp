#include "consent/consent_registry.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "audit/time_text.hpp"
#include "core/digest.hpp"
#include "identity/identity_value.hpp"

namespace synthgate::consent {

namespace {

constexpr std::string_view kSql = R"sql(
CREATE TABLE consent_subjects (
  id TEXT PRIMARY KEY,
  user_id TEXT,
  minor_under_14 INTEGER NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE TABLE consents (
  id TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL REFERENCES consent_subjects (id),
  modalities TEXT NOT NULL,
  purposes TEXT NOT NULL,
  services TEXT NOT NULL,
  users TEXT NOT NULL,
  valid_from_ms BIGINT NOT NULL,
  valid_until_ms BIGINT NOT NULL,
  granted_by TEXT NOT NULL,
  evidence_sha256 TEXT NOT NULL,
  has_document INTEGER NOT NULL,
  revoked_ms BIGINT,
  revoke_reason TEXT,
  actor TEXT NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE INDEX consents_subject ON consents (subject_id);
)sql";

constexpr std::size_t kMaxDocument = 20u << 20;

bool is_token(std::string_view s) {
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == ':' || c == '@' || c == '*';
  });
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ",") {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::vector<std::string> sorted_unique(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

bool covers(const std::vector<std::string>& list, std::string_view item) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& x) { return x == "*" || x == item; });
}

bool is_hex_digest(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
         });
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

bool is_modality(std::string_view name) {
  return name == "face" || name == "voice" || name == "body" || name == "other_biometric";
}

ConsentRegistry::ConsentRegistry(store::Store& store, audit::AuditLog& audit,
                                 identity::PersonalDataVault& vault, const Clock& clock,
                                 IdGenerator& ids)
    : store_(store), audit_(audit), vault_(vault), clock_(clock), ids_(ids) {}

Status ConsentRegistry::audit_event(audit::EventType type, std::string_view actor,
                                    std::map<std::string, std::string> subjects,
                                    std::map<std::string, std::string> details) {
  audit::AuditEvent event;
  event.type = type;
  event.actor = actor.empty() ? "system" : std::string(actor);
  event.subjects = std::move(subjects);
  event.details = std::move(details);
  auto appended = audit_.append(std::move(event));
  if (!appended) {
    return tl::unexpected(with_context(appended.error(), "the change was saved but not audited"));
  }
  return {};
}

Result<Subject> ConsentRegistry::add_subject(const NewSubject& in) {
  std::vector<std::string> problems;
  const std::string name = trimmed(in.name);
  if (name.empty() || name.size() > 200) problems.push_back("name: 1 to 200 bytes");
  std::optional<identity::ValueCheck> id_check;
  if (in.id_number) {
    id_check =
        identity::check_value(*in.id_number, std::nullopt, identity::china_date(clock_.now()));
    if (!id_check->valid || !id_check->holder) {
      problems.push_back("id_number: " + (id_check->errors.empty()
                                              ? std::string("not an identity document number")
                                              : join(id_check->errors, "; ")));
    }
  }
  if (!problems.empty()) return fail(ErrorCode::kInvalidArgument, join(problems, "; "));
  Subject subject;
  subject.id = ids_.next_uuid().to_string();
  subject.user_id = in.user_id;
  subject.created_ms = unix_millis(clock_.now());
  if (id_check && id_check->holder) {
    subject.minor_under_14 =
        identity::age_on(id_check->holder->birth_date, identity::china_date(clock_.now())) < 14;
  }
  Status saved = store_.transact([&](store::Session& session) -> Status {
    store::Value user = store::Null{};
    if (subject.user_id) user = *subject.user_id;
    auto inserted = session.execute(
        "INSERT INTO consent_subjects (id, user_id, minor_under_14, created_ms) VALUES (?, ?, ?, "
        "?)",
        {subject.id, user, std::int64_t{subject.minor_under_14 ? 1 : 0}, subject.created_ms});
    if (!inserted) return tl::unexpected(inserted.error());
    if (auto s = vault_.put(session, subject.id, "name", name, false); !s) return s;
    if (id_check) return vault_.put(session, subject.id, "id_number", id_check->normalized, true);
    return {};
  });
  if (!saved) return tl::unexpected(saved.error());
  if (auto a = audit_event(audit::EventType::kConsentSubjectAdded, in.actor,
                           {{"consent_subject", subject.id}}, {});
      !a) {
    return tl::unexpected(a.error());
  }
  return subject;
}

Result<Subject> ConsentRegistry::subject(std::string_view subject_id) {
  auto rows = store_.query(
      "SELECT id, user_id, minor_under_14, created_ms FROM consent_subjects WHERE id = ?",
      {std::string(subject_id)});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "no subject " + std::string(subject_id));
  const auto& row = rows->rows[0];
  Subject s;
  s.id = *row.text(0);
  if (!row.is_null(1)) s.user_id = *row.text(1);
  s.minor_under_14 = row.integer(2).value_or(0) != 0;
  s.created_ms = row.integer(3).value_or(0);
  return s;
}

Result<Consent> ConsentRegistry::grant(const Grant& in) {
  std::vector<std::string> problems;
  if (in.modalities.empty()) problems.push_back("modalities: at least one");
  for (const auto& m : in.modalities) {
    if (!is_modality(m)) {
      problems.push_back("modalities: " + m + " is not face, voice, body or other_biometric");
    }
  }
  const auto check_list = [&](const char* name, const std::vector<std::string>& list) {
    if (list.empty()) problems.push_back(std::string(name) + ": at least one");
    for (const auto& item : list) {
      if (!is_token(item)) {
        problems.push_back(std::string(name) + ": '" + item +
                           "' is not a token (letters, digits, _ - . : @ *)");
      }
    }
  };
  check_list("purposes", in.purposes);
  check_list("services", in.services);
  check_list("users", in.users);
  if (in.valid_until <= in.valid_from) problems.push_back("valid_until must follow valid_from");
  if (in.granted_by != "subject" && in.granted_by != "guardian") {
    problems.push_back("granted_by: subject or guardian");
  }
  if (in.granted_by == "guardian" && (!in.guardian_name || trimmed(*in.guardian_name).empty())) {
    problems.push_back("guardian_name: required when a guardian grants");
  }
  if (!is_hex_digest(in.evidence_sha256)) {
    problems.push_back("evidence_sha256: 64 lowercase hex digits of the signed document");
  }
  if (in.evidence_document) {
    if (in.evidence_document->size() > kMaxDocument) {
      problems.push_back("evidence_document: over 20 MiB");
    } else if (hex_encode(sha256(*in.evidence_document)) != in.evidence_sha256) {
      problems.push_back("evidence_document: its SHA-256 is not evidence_sha256");
    }
  }
  if (!problems.empty()) return fail(ErrorCode::kInvalidArgument, join(problems, "; "));
  auto subj = subject(in.subject_id);
  if (!subj) return tl::unexpected(subj.error());
  if (subj->minor_under_14 && in.granted_by != "guardian") {
    return fail(ErrorCode::kInvalidArgument,
                "the subject is under 14: a guardian must grant the consent");
  }
  Consent c;
  c.id = ids_.next_uuid().to_string();
  c.subject_id = subj->id;
  c.modalities = sorted_unique(in.modalities);
  c.purposes = sorted_unique(in.purposes);
  c.services = sorted_unique(in.services);
  c.users = sorted_unique(in.users);
  c.valid_from_ms = unix_millis(in.valid_from);
  c.valid_until_ms = unix_millis(in.valid_until);
  c.granted_by = in.granted_by;
  c.evidence_sha256 = in.evidence_sha256;
  c.has_document = in.evidence_document.has_value();
  c.created_ms = unix_millis(clock_.now());
  Status saved = store_.transact([&](store::Session& session) -> Status {
    auto inserted = session.execute(
        "INSERT INTO consents (id, subject_id, modalities, purposes, services, users, "
        "valid_from_ms, valid_until_ms, granted_by, evidence_sha256, has_document, actor, "
        "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {c.id, c.subject_id, join(c.modalities), join(c.purposes), join(c.services), join(c.users),
         c.valid_from_ms, c.valid_until_ms, c.granted_by, c.evidence_sha256,
         std::int64_t{c.has_document ? 1 : 0}, in.actor, c.created_ms});
    if (!inserted) return tl::unexpected(inserted.error());
    if (in.guardian_name) {
      if (auto s = vault_.put(session, c.id, "guardian_name", trimmed(*in.guardian_name), false);
          !s) {
        return s;
      }
    }
    if (in.evidence_document) {
      return vault_.put(session, c.id, "evidence_document", ByteView(*in.evidence_document), false);
    }
    return {};
  });
  if (!saved) return tl::unexpected(saved.error());
  if (auto a = audit_event(audit::EventType::kConsentGranted, in.actor,
                           {{"consent", c.id}, {"consent_subject", c.subject_id}},
                           {{"modalities", join(c.modalities)},
                            {"purposes", join(c.purposes)},
                            {"services", join(c.services)},
                            {"users", join(c.users)},
                            {"valid_from", audit::format_time(in.valid_from)},
                            {"valid_until", audit::format_time(in.valid_until)},
                            {"granted_by", c.granted_by},
                            {"evidence_sha256", c.evidence_sha256}});
      !a) {
    return tl::unexpected(a.error());
  }
  return c;
}

Result<std::vector<Consent>> ConsentRegistry::read_consents(std::string_view where,
                                                            const store::Params& params) {
  auto rows = store_.query(
      "SELECT id, subject_id, modalities, purposes, services, users, valid_from_ms, "
      "valid_until_ms, granted_by, evidence_sha256, has_document, revoked_ms, revoke_reason, "
      "created_ms FROM consents WHERE " +
          std::string(where) + " ORDER BY created_ms, id",
      params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Consent> out;
  for (const auto& row : rows->rows) {
    Consent c;
    c.id = *row.text(0);
    c.subject_id = *row.text(1);
    c.modalities = split(*row.text(2));
    c.purposes = split(*row.text(3));
    c.services = split(*row.text(4));
    c.users = split(*row.text(5));
    c.valid_from_ms = row.integer(6).value_or(0);
    c.valid_until_ms = row.integer(7).value_or(0);
    c.granted_by = *row.text(8);
    c.evidence_sha256 = *row.text(9);
    c.has_document = row.integer(10).value_or(0) != 0;
    if (!row.is_null(11)) c.revoked_ms = row.integer(11).value_or(0);
    if (!row.is_null(12)) c.revoke_reason = *row.text(12);
    c.created_ms = row.integer(13).value_or(0);
    out.push_back(std::move(c));
  }
  return out;
}

Result<Consent> ConsentRegistry::get(std::string_view consent_id) {
  auto found = read_consents("id = ?", {std::string(consent_id)});
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return fail(ErrorCode::kNotFound, "no consent " + std::string(consent_id));
  return found->front();
}

Result<std::vector<Consent>> ConsentRegistry::consents_of(std::string_view subject_id) {
  return read_consents("subject_id = ?", {std::string(subject_id)});
}

Result<Consent> ConsentRegistry::revoke(std::string_view consent_id, std::string_view reason,
                                        std::string_view actor) {
  if (trimmed(reason).empty()) return fail(ErrorCode::kInvalidArgument, "a reason is required");
  const auto now = unix_millis(clock_.now());
  Status saved = store_.transact([&](store::Session& session) -> Status {
    auto changed = session.execute(
        "UPDATE consents SET revoked_ms = ?, revoke_reason = ? WHERE id = ? AND revoked_ms IS "
        "NULL",
        {now, trimmed(reason), std::string(consent_id)});
    if (!changed) return tl::unexpected(changed.error());
    if (*changed == 1) return {};
    auto exists = session.query("SELECT 1 FROM consents WHERE id = ?", {std::string(consent_id)});
    if (!exists) return tl::unexpected(exists.error());
    if (exists->empty()) return fail(ErrorCode::kNotFound, "no consent " + std::string(consent_id));
    return fail(ErrorCode::kFailedPrecondition, "the consent is already revoked");
  });
  if (!saved) return tl::unexpected(saved.error());
  auto c = get(consent_id);
  if (!c) return tl::unexpected(c.error());
  if (auto a = audit_event(audit::EventType::kConsentRevoked, actor,
                           {{"consent", c->id}, {"consent_subject", c->subject_id}},
                           {{"reason", trimmed(reason)}});
      !a) {
    return tl::unexpected(a.error());
  }
  return c;
}

Result<Bytes> ConsentRegistry::evidence_document(std::string_view consent_id,
                                                 std::string_view actor) {
  auto c = get(consent_id);
  if (!c) return tl::unexpected(c.error());
  if (!c->has_document) return fail(ErrorCode::kNotFound, "the consent has no stored document");
  return vault_.reveal(consent_id, "evidence_document",
                       {std::string(actor), "consent evidence", std::nullopt});
}

Result<CheckResult> ConsentRegistry::check(const CheckRequest& request) {
  if (!is_modality(request.modality)) {
    return fail(ErrorCode::kInvalidArgument,
                "modality: " + request.modality + " is not face, voice, body or other_biometric");
  }
  if (request.subjects.empty()) return fail(ErrorCode::kInvalidArgument, "subjects: at least one");
  const std::int64_t t = unix_millis(request.time == TimePoint{} ? clock_.now() : request.time);
  CheckResult result;
  std::set<std::string> seen;
  for (const auto& subject_id : request.subjects) {
    if (!seen.insert(subject_id).second) continue;
    auto subj = subject(subject_id);
    if (!subj) {
      if (subj.error().code != ErrorCode::kNotFound) return tl::unexpected(subj.error());
      result.missing.push_back({subject_id, request.modality, "unknown_subject", std::nullopt});
      continue;
    }
    auto consents = consents_of(subject_id);
    if (!consents) return tl::unexpected(consents.error());
    // The closest consent: the one that passes the most of, in order, modality, revocation,
    // validity window, service and user.
    int best = -1;
    std::optional<MissingConsent> closest;
    std::optional<std::string> allowed_by;
    for (const auto& c : *consents) {
      if (!covers(c.modalities, request.modality)) continue;
      int passed = 0;
      std::string reason;
      if (c.revoked_ms) {
        reason = "revoked";
      } else if (t < c.valid_from_ms) {
        passed = 1;
        reason = "not_yet_valid";
      } else if (t >= c.valid_until_ms) {
        passed = 1;
        reason = "expired";
      } else if (!covers(c.services, request.service)) {
        passed = 2;
        reason = "service_not_covered";
      } else if (!covers(c.users, request.user)) {
        passed = 3;
        reason = "user_not_covered";
      } else {
        allowed_by = c.id;
        break;
      }
      if (passed > best) {
        best = passed;
        closest = MissingConsent{subject_id, request.modality, reason, c.id};
      }
    }
    if (allowed_by) {
      result.consent_ids.push_back(*allowed_by);
    } else if (closest) {
      result.missing.push_back(*closest);
    } else {
      result.missing.push_back({subject_id, request.modality, "no_consent", std::nullopt});
    }
  }
  result.allowed = result.missing.empty();
  return result;
}

const store::MigrationSet& consent_migrations() {
  static const store::MigrationSet set{"consent", {{1, "subjects and consents", kSql, {}}}};
  return set;
}

}  // namespace synthgate::consent
