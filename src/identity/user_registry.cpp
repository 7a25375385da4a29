#include "identity/user_registry.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "identity/identity_value.hpp"

namespace synthgate::identity {

namespace {

constexpr std::string_view kSqlite = R"sql(
CREATE TABLE identity_users (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  state_before_suspension TEXT,
  verified_by TEXT,
  awaiting TEXT,
  id_kind TEXT,
  created_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);
CREATE TABLE identity_state_changes (
  user_id TEXT NOT NULL REFERENCES identity_users (id),
  seq INTEGER NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  time_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, seq)
);
CREATE TABLE identity_verifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES identity_users (id),
  method TEXT NOT NULL,
  status TEXT NOT NULL,
  secret_state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  expires_ms BIGINT NOT NULL,
  created_ms BIGINT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX identity_verifications_user ON identity_verifications (user_id, status);
CREATE TABLE identity_guardian_consents (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES identity_users (id),
  relation TEXT NOT NULL,
  evidence_sha256 TEXT NOT NULL,
  actor TEXT NOT NULL,
  granted_ms BIGINT NOT NULL
);
)sql";

constexpr std::string_view kAwaitingGuardian = "guardian_consent";

std::int64_t to_ms(TimePoint t) {
  return unix_millis(t);
}

UserState parse_state(std::string_view s) {
  if (s == "pending") return UserState::kPending;
  if (s == "verified") return UserState::kVerified;
  if (s == "suspended") return UserState::kSuspended;
  return UserState::kUnverified;
}

std::optional<std::string> optional_text(const store::Row& row, std::size_t i) {
  if (row.is_null(i)) return std::nullopt;
  auto t = row.text(i);
  if (!t) return std::nullopt;
  return *t;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out;
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

std::string date_text(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view s) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (std::sscanf(std::string(s).c_str(), "%d-%u-%u", &y, &m, &d) != 3) return std::nullopt;
  std::chrono::year_month_day out{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!out.ok()) return std::nullopt;
  return out;
}

}  // namespace

std::string_view user_kind_name(UserKind kind) {
  return kind == UserKind::kOrganisation ? "organisation" : "individual";
}

std::optional<UserKind> parse_user_kind(std::string_view name) {
  if (name == "individual") return UserKind::kIndividual;
  if (name == "organisation" || name == "organization") return UserKind::kOrganisation;
  return std::nullopt;
}

std::string_view user_state_name(UserState state) {
  switch (state) {
    case UserState::kUnverified:
      return "unverified";
    case UserState::kPending:
      return "pending";
    case UserState::kVerified:
      return "verified";
    case UserState::kSuspended:
      return "suspended";
  }
  return "unverified";
}

UserRegistry::UserRegistry(store::Store& store, audit::AuditLog& audit, PersonalDataVault& vault,
                           const Clock& clock, IdGenerator& ids, RegistryOptions options)
    : store_(store),
      audit_(audit),
      vault_(vault),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)) {}

void UserRegistry::add_provider(VerificationProvider& provider) {
  providers_[std::string(provider.method())] = &provider;
}

VerificationProvider* UserRegistry::provider(std::string_view method) const {
  auto it = providers_.find(method);
  return it == providers_.end() ? nullptr : it->second;
}

Status UserRegistry::audit_event(audit::EventType type, const std::string& user_id,
                                 std::string_view actor,
                                 std::map<std::string, std::string> details) {
  audit::AuditEvent event;
  event.type = type;
  event.actor = actor.empty() ? "system" : std::string(actor);
  event.user_id = user_id;
  event.details = std::move(details);
  auto appended = audit_.append(std::move(event));
  if (!appended) {
    return tl::unexpected(with_context(appended.error(), "the change was saved but not audited"));
  }
  return {};
}

Result<User> UserRegistry::read_user(store::Session& session, std::string_view user_id) {
  auto rows = session.query(
      "SELECT id, kind, state, verified_by, awaiting, id_kind, created_ms, updated_ms FROM "
      "identity_users WHERE id = ?",
      {std::string(user_id)});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "no user " + std::string(user_id));
  const auto& row = rows->rows[0];
  User user;
  user.id = *row.text(0);
  user.kind = parse_user_kind(*row.text(1)).value_or(UserKind::kIndividual);
  user.state = parse_state(*row.text(2));
  user.verified_by = optional_text(row, 3);
  user.awaiting = optional_text(row, 4);
  user.id_kind = optional_text(row, 5);
  user.created_ms = row.integer(6).value_or(0);
  user.updated_ms = row.integer(7).value_or(0);
  return user;
}

Status UserRegistry::record_change(store::Session& session, const std::string& user_id,
                                   UserState from, UserState to, std::string_view actor,
                                   std::string_view reason) {
  auto seq = session.query(
      "SELECT COALESCE(MAX(seq), 0) FROM identity_state_changes WHERE user_id = ?", {user_id});
  if (!seq) return tl::unexpected(seq.error());
  const std::int64_t next = seq->rows[0].integer(0).value_or(0) + 1;
  auto inserted = session.execute(
      "INSERT INTO identity_state_changes (user_id, seq, from_state, to_state, actor, reason, "
      "time_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {user_id, next, std::string(user_state_name(from)), std::string(user_state_name(to)),
       std::string(actor), std::string(reason), to_ms(clock_.now())});
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

Result<User> UserRegistry::create(const Registration& reg) {
  const auto today = china_date(clock_.now());
  std::vector<std::string> problems;
  std::optional<ValueCheck> id_check;
  std::optional<ValueCheck> phone_check;
  std::optional<ValueCheck> code_check;
  if (reg.id_number) {
    if (reg.kind == UserKind::kOrganisation) {
      problems.push_back("an organisation registers with a credit code, not an ID number");
    }
    id_check = check_value(*reg.id_number, std::nullopt, today);
    const bool personal =
        id_check->kind != ValueKind::kMobileNumber && id_check->kind != ValueKind::kCreditCode;
    if (!personal) {
      problems.push_back("id_number: not an identity document number");
    } else if (!id_check->valid) {
      problems.push_back("id_number: " + join(id_check->errors));
    }
  }
  if (reg.phone) {
    phone_check = check_value(*reg.phone, ValueKind::kMobileNumber, today);
    if (!phone_check->valid) problems.push_back("phone: " + join(phone_check->errors));
  }
  if (reg.kind == UserKind::kOrganisation) {
    if (!reg.credit_code) {
      problems.push_back("an organisation needs its unified social credit code");
    } else {
      code_check = check_value(*reg.credit_code, ValueKind::kCreditCode, today);
      if (!code_check->valid) problems.push_back("credit_code: " + join(code_check->errors));
    }
    if (!reg.name || trimmed(*reg.name).empty()) {
      problems.push_back("an organisation needs its registered name");
    }
  } else if (reg.credit_code) {
    problems.push_back("an individual has no credit code");
  }
  if (reg.name && trimmed(*reg.name).size() > 200) problems.push_back("name: over 200 bytes");
  if (reg.name && reg.kind == UserKind::kIndividual && trimmed(*reg.name).empty()) {
    problems.push_back("name: empty");
  }
  if (!problems.empty()) return fail(ErrorCode::kInvalidArgument, join(problems));

  User user;
  user.id = ids_.next_uuid().to_string();
  user.kind = reg.kind;
  user.created_ms = user.updated_ms = to_ms(clock_.now());
  if (id_check) user.id_kind = std::string(kind_name(id_check->kind));
  Status saved = store_.transact([&](store::Session& session) -> Status {
    store::Value id_kind = store::Null{};
    if (user.id_kind) id_kind = *user.id_kind;
    auto inserted = session.execute(
        "INSERT INTO identity_users (id, kind, state, id_kind, created_ms, updated_ms) VALUES "
        "(?, ?, 'unverified', ?, ?, ?)",
        {user.id, std::string(user_kind_name(user.kind)), id_kind, user.created_ms,
         user.updated_ms});
    if (!inserted) return tl::unexpected(inserted.error());
    if (reg.name) {
      if (auto s = vault_.put(session, user.id, "name", trimmed(*reg.name), false); !s) return s;
    }
    if (id_check) {
      if (auto s = vault_.put(session, user.id, "id_number", id_check->normalized, true); !s) {
        return s;
      }
      if (id_check->holder) {
        if (auto s = vault_.put(session, user.id, "birth_date",
                                date_text(id_check->holder->birth_date), false);
            !s) {
          return s;
        }
      }
    }
    if (phone_check) {
      if (auto s = vault_.put(session, user.id, "phone", phone_check->normalized, true); !s) {
        return s;
      }
    }
    if (code_check) {
      if (auto s = vault_.put(session, user.id, "credit_code", code_check->normalized, true); !s) {
        return s;
      }
    }
    return record_change(session, user.id, UserState::kUnverified, UserState::kUnverified,
                         reg.actor, "registered");
  });
  if (!saved) return tl::unexpected(saved.error());
  std::map<std::string, std::string> details{{"kind", std::string(user_kind_name(user.kind))}};
  if (user.id_kind) details["id_kind"] = *user.id_kind;
  if (auto a = audit_event(audit::EventType::kUserRegistered, user.id, reg.actor, details); !a) {
    return tl::unexpected(a.error());
  }
  return user;
}

Result<User> UserRegistry::get(std::string_view user_id) {
  std::optional<User> user;
  Status done = store_.transact([&](store::Session& session) -> Status {
    auto u = read_user(session, user_id);
    if (!u) return tl::unexpected(u.error());
    user = std::move(*u);
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return *user;
}

Result<std::vector<StateChange>> UserRegistry::history(std::string_view user_id) {
  auto rows = store_.query(
      "SELECT from_state, to_state, actor, reason, time_ms FROM identity_state_changes WHERE "
      "user_id = ? ORDER BY seq",
      {std::string(user_id)});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<StateChange> out;
  for (const auto& row : rows->rows) {
    out.push_back(
        {*row.text(0), *row.text(1), *row.text(2), *row.text(3), row.integer(4).value_or(0)});
  }
  return out;
}

Result<std::vector<std::string>> UserRegistry::find(std::string_view field,
                                                    std::string_view value) {
  const auto today = china_date(clock_.now());
  std::string normalized;
  if (field == "phone") {
    auto c = check_value(value, ValueKind::kMobileNumber, today);
    if (!c.valid) return fail(ErrorCode::kInvalidArgument, "phone: " + join(c.errors));
    normalized = c.normalized;
  } else if (field == "id_number" || field == "credit_code") {
    normalized = check_value(value, std::nullopt, today).normalized;
  } else if (field == "network_id") {
    normalized = std::string(value);
  } else {
    return fail(ErrorCode::kInvalidArgument,
                "lookups are by id_number, phone, credit_code or network_id");
  }
  return vault_.find(field, normalized);
}

Result<Applicant> UserRegistry::applicant(const User& user, const VerificationProvider& provider,
                                          std::string_view actor) {
  Applicant out;
  out.user_id = user.id;
  const ReadReason reason{std::string(actor), "verification by " + std::string(provider.method()),
                          user.id};
  if (provider.needs_phone()) {
    auto has = vault_.has(user.id, "phone");
    if (!has) return tl::unexpected(has.error());
    if (*has) {
      auto phone = vault_.reveal_text(user.id, "phone", reason);
      if (!phone) return tl::unexpected(phone.error());
      out.phone = std::move(*phone);
    }
  }
  if (provider.needs_name_and_id()) {
    for (const char* field : {"name", "id_number"}) {
      auto has = vault_.has(user.id, field);
      if (!has) return tl::unexpected(has.error());
      if (!*has) {
        return fail(ErrorCode::kFailedPrecondition, std::string("verification by ") +
                                                        std::string(provider.method()) +
                                                        " needs the user's " + field);
      }
      auto value = vault_.reveal_text(user.id, field, reason);
      if (!value) return tl::unexpected(value.error());
      (std::string_view(field) == "name" ? out.name : out.id_number) = std::move(*value);
    }
  }
  return out;
}

Result<Verification> UserRegistry::start_verification(std::string_view user_id,
                                                      std::string_view method,
                                                      std::string_view actor) {
  VerificationProvider* p = provider(method);
  if (p == nullptr) {
    return fail(ErrorCode::kInvalidArgument,
                "unknown or unavailable verification method " + std::string(method));
  }
  auto user = get(user_id);
  if (!user) return tl::unexpected(user.error());
  if (user->state == UserState::kSuspended) {
    return fail(ErrorCode::kFailedPrecondition, "the user is suspended");
  }
  if (user->state == UserState::kVerified) {
    return fail(ErrorCode::kFailedPrecondition, "the user is already verified");
  }
  if (user->awaiting) {
    return fail(ErrorCode::kFailedPrecondition,
                "the user passed verification and awaits a guardian's consent");
  }
  const bool manual = method == "manual";
  if (user->kind == UserKind::kOrganisation && !manual) {
    return fail(ErrorCode::kInvalidArgument, "organisations are verified by an operator (manual)");
  }
  auto who = applicant(*user, *p, actor);
  if (!who) return tl::unexpected(who.error());
  auto started = p->start(*who);
  if (!started) return tl::unexpected(started.error());

  Verification v;
  v.id = ids_.next_uuid().to_string();
  v.user_id = user->id;
  v.method = std::string(method);
  v.message = started->message;
  const auto now = clock_.now();
  v.expires_ms = to_ms(now + options_.code_lifetime);
  v.status = started->outcome == Started::Outcome::kRejected ? "failed" : "pending";
  Status saved = store_.transact([&](store::Session& session) -> Status {
    auto current = read_user(session, user->id);
    if (!current) return tl::unexpected(current.error());
    if (current->state == UserState::kSuspended || current->state == UserState::kVerified) {
      return fail(ErrorCode::kConflict, "the user's state changed meanwhile; retry");
    }
    auto superseded = session.execute(
        "UPDATE identity_verifications SET status = 'superseded' WHERE user_id = ? AND status = "
        "'pending'",
        {user->id});
    if (!superseded) return tl::unexpected(superseded.error());
    auto inserted = session.execute(
        "INSERT INTO identity_verifications (id, user_id, method, status, secret_state, "
        "attempts, expires_ms, created_ms, message) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)",
        {v.id, v.user_id, v.method, v.status, started->state, v.expires_ms, to_ms(now), v.message});
    if (!inserted) return tl::unexpected(inserted.error());
    const UserState to = v.status == "failed" ? UserState::kUnverified : UserState::kPending;
    if (to != current->state) {
      auto updated =
          session.execute("UPDATE identity_users SET state = ?, updated_ms = ? WHERE id = ?",
                          {std::string(user_state_name(to)), to_ms(now), user->id});
      if (!updated) return tl::unexpected(updated.error());
      return record_change(session, user->id, current->state, to, actor,
                           "verification started: " + v.method);
    }
    return {};
  });
  if (!saved) return tl::unexpected(saved.error());
  if (started->outcome == Started::Outcome::kPassed) {
    auto done = complete(*user, v.id, v.method, std::nullopt, actor);
    if (!done) return tl::unexpected(done.error());
    auto refreshed = verification(v.id);
    if (!refreshed) return tl::unexpected(refreshed.error());
    return *refreshed;
  }
  return v;
}

Result<Verification> UserRegistry::verification(std::string_view verification_id) {
  auto rows = store_.query(
      "SELECT id, user_id, method, status, attempts, expires_ms, message FROM "
      "identity_verifications WHERE id = ?",
      {std::string(verification_id)});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) {
    return fail(ErrorCode::kNotFound, "no verification " + std::string(verification_id));
  }
  const auto& row = rows->rows[0];
  Verification v;
  v.id = *row.text(0);
  v.user_id = *row.text(1);
  v.method = *row.text(2);
  v.status = *row.text(3);
  v.attempts = static_cast<int>(row.integer(4).value_or(0));
  v.expires_ms = row.integer(5).value_or(0);
  v.message = *row.text(6);
  return v;
}

Result<User> UserRegistry::confirm(std::string_view user_id, std::string_view verification_id,
                                   std::string_view response, std::string_view actor) {
  // Step 1: take one attempt, atomically, or say why none is left.
  std::string method;
  std::string secret_state;
  std::optional<Error> refusal;
  const auto now_ms = to_ms(clock_.now());
  Status taken = store_.transact([&](store::Session& session) -> Status {
    auto rows = session.query(
        "SELECT method, status, secret_state, attempts, expires_ms FROM identity_verifications "
        "WHERE id = ? AND user_id = ?",
        {std::string(verification_id), std::string(user_id)});
    if (!rows) return tl::unexpected(rows.error());
    if (rows->empty()) {
      return fail(ErrorCode::kNotFound, "no verification " + std::string(verification_id) +
                                            " for user " + std::string(user_id));
    }
    const auto& row = rows->rows[0];
    method = *row.text(0);
    const std::string status = *row.text(1);
    secret_state = *row.text(2);
    const auto attempts = row.integer(3).value_or(0);
    if (status == "passed") {
      return fail(ErrorCode::kFailedPrecondition, "this verification was already used");
    }
    if (status != "pending") {
      return fail(ErrorCode::kFailedPrecondition,
                  "this verification is " + status + "; start a new one");
    }
    if (now_ms >= row.integer(4).value_or(0)) {
      // Recorded (so it cannot be retried), but reported only after the commit.
      auto expired = session.execute(
          "UPDATE identity_verifications SET status = 'expired' WHERE id = ? AND status = "
          "'pending'",
          {std::string(verification_id)});
      if (!expired) return tl::unexpected(expired.error());
      refusal = Error{ErrorCode::kFailedPrecondition, "the code expired; start a new verification"};
      return {};
    }
    if (attempts >= options_.max_attempts) {
      return fail(ErrorCode::kResourceExhausted, "no attempts left; start a new verification");
    }
    auto counted = session.execute(
        "UPDATE identity_verifications SET attempts = attempts + 1 WHERE id = ? AND status = "
        "'pending' AND attempts = ?",
        {std::string(verification_id), attempts});
    if (!counted) return tl::unexpected(counted.error());
    if (*counted != 1) return fail(ErrorCode::kConflict, "a concurrent attempt won; retry");
    return {};
  });
  if (!taken) return tl::unexpected(taken.error());
  if (refusal) return tl::unexpected(*refusal);

  VerificationProvider* p = provider(method);
  if (p == nullptr) {
    return fail(ErrorCode::kFailedPrecondition, "the method " + method + " is not available");
  }
  auto user = get(user_id);
  if (!user) return tl::unexpected(user.error());
  if (user->state == UserState::kSuspended) {
    return fail(ErrorCode::kFailedPrecondition, "the user is suspended");
  }
  auto who = applicant(*user, *p, actor);
  if (!who) return tl::unexpected(who.error());
  auto checked = p->check(*who, secret_state, response);
  if (!checked) return tl::unexpected(checked.error());
  if (!checked->passed) {
    auto v = verification(verification_id);
    if (!v) return tl::unexpected(v.error());
    const int left = options_.max_attempts - v->attempts;
    if (left > 0) {
      return fail(ErrorCode::kInvalidArgument, checked->message + "; " + std::to_string(left) +
                                                   " attempt" + (left == 1 ? "" : "s") + " left");
    }
    // The last attempt failed: the verification ends and the user is unverified again.
    Status ended = store_.transact([&](store::Session& session) -> Status {
      auto failed = session.execute(
          "UPDATE identity_verifications SET status = 'failed' WHERE id = ? AND status = "
          "'pending'",
          {std::string(verification_id)});
      if (!failed) return tl::unexpected(failed.error());
      auto current = read_user(session, user_id);
      if (!current) return tl::unexpected(current.error());
      if (current->state != UserState::kPending) return {};
      auto updated = session.execute(
          "UPDATE identity_users SET state = 'unverified', updated_ms = ? WHERE "
          "id = ?",
          {to_ms(clock_.now()), std::string(user_id)});
      if (!updated) return tl::unexpected(updated.error());
      return record_change(session, std::string(user_id), UserState::kPending,
                           UserState::kUnverified, actor, "verification failed: no attempts left");
    });
    if (!ended) return tl::unexpected(ended.error());
    return fail(ErrorCode::kResourceExhausted,
                checked->message + "; no attempts left, start a new verification");
  }
  return complete(*user, std::string(verification_id), method, checked->pseudonym, actor);
}

Result<UserRegistry::AgeCheck> UserRegistry::check_age(const User& user) {
  AgeCheck out;
  if (user.kind == UserKind::kOrganisation) return out;
  auto has = vault_.has(user.id, "birth_date");
  if (!has) return tl::unexpected(has.error());
  if (!*has) return out;
  auto text = vault_.reveal_text(user.id, "birth_date", {"system", "minor check", user.id});
  if (!text) return tl::unexpected(text.error());
  auto birth = parse_date(*text);
  if (!birth) return fail(ErrorCode::kInternal, "stored birth date is malformed");
  const int age = age_on(*birth, china_date(clock_.now()));
  if (age < 14) {
    out.needs_guardian = true;
    out.reason = "under 14: a guardian's consent is needed";
  } else if (age < 18) {
    if (options_.minors.under_18 == MinorPolicy::Under18::kRefuse) {
      out.refused = true;
      out.reason = "under 18: refused by this service's policy";
    } else if (options_.minors.under_18 == MinorPolicy::Under18::kGuardianConsent) {
      out.needs_guardian = true;
      out.reason = "under 18: this service's policy asks for a guardian's consent";
    }
  }
  return out;
}

Result<User> UserRegistry::complete(const User& user, const std::string& verification_id,
                                    const std::string& method,
                                    const std::optional<std::string>& pseudonym,
                                    std::string_view actor) {
  auto age = check_age(user);
  if (!age) return tl::unexpected(age.error());
  bool has_guardian = false;
  if (age->needs_guardian) {
    auto rows =
        store_.query("SELECT 1 FROM identity_guardian_consents WHERE user_id = ?", {user.id});
    if (!rows) return tl::unexpected(rows.error());
    has_guardian = !rows->empty();
  }
  const bool waits = age->needs_guardian && !has_guardian;
  Status saved = store_.transact([&](store::Session& session) -> Status {
    auto used = session.execute(
        "UPDATE identity_verifications SET status = ? WHERE id = ? AND status = 'pending'",
        {std::string(age->refused ? "failed" : "passed"), verification_id});
    if (!used) return tl::unexpected(used.error());
    if (*used != 1) {
      return fail(ErrorCode::kFailedPrecondition, "this verification was already used");
    }
    auto current = read_user(session, user.id);
    if (!current) return tl::unexpected(current.error());
    if (current->state == UserState::kSuspended) {
      return fail(ErrorCode::kFailedPrecondition, "the user is suspended");
    }
    if (pseudonym) {
      if (auto s = vault_.put(session, user.id, "network_id", *pseudonym, true); !s) return s;
    }
    const UserState to = age->refused ? UserState::kUnverified
                         : waits      ? UserState::kPending
                                      : UserState::kVerified;
    store::Value awaiting = store::Null{};
    if (waits) awaiting = std::string(kAwaitingGuardian);
    store::Value verified_by = store::Null{};
    if (to == UserState::kVerified) verified_by = method;
    auto updated = session.execute(
        "UPDATE identity_users SET state = ?, awaiting = ?, verified_by = ?, updated_ms = ? "
        "WHERE id = ?",
        {std::string(user_state_name(to)), awaiting, verified_by, to_ms(clock_.now()), user.id});
    if (!updated) return tl::unexpected(updated.error());
    const std::string reason = age->refused ? age->reason
                               : waits      ? "verified by " + method + "; " + age->reason
                                            : "verified by " + method;
    return record_change(session, user.id, current->state, to, actor, reason);
  });
  if (!saved) return tl::unexpected(saved.error());
  if (age->refused) return fail(ErrorCode::kPermissionDenied, age->reason);
  auto after = get(user.id);
  if (!after) return tl::unexpected(after.error());
  if (after->state == UserState::kVerified) {
    if (auto a = audit_event(audit::EventType::kUserVerified, user.id, actor,
                             {{"method", method}, {"verification", verification_id}});
        !a) {
      return tl::unexpected(a.error());
    }
  }
  return after;
}

Result<User> UserRegistry::record_guardian_consent(std::string_view user_id,
                                                   const GuardianConsent& consent) {
  const auto today = china_date(clock_.now());
  std::vector<std::string> problems;
  auto guardian_id = check_value(consent.guardian_id_number, std::nullopt, today);
  if (!guardian_id.valid || !guardian_id.holder) {
    problems.push_back("guardian_id_number: " + (guardian_id.errors.empty()
                                                     ? std::string("not a resident ID number")
                                                     : join(guardian_id.errors)));
  } else if (age_on(guardian_id.holder->birth_date, today) < 18) {
    problems.push_back("the guardian must be an adult");
  }
  if (trimmed(consent.guardian_name).empty()) problems.push_back("guardian_name: empty");
  if (trimmed(consent.relation).empty()) problems.push_back("relation: empty");
  if (!is_hex_digest(consent.evidence_sha256)) {
    problems.push_back("evidence_sha256: 64 lowercase hex digits of the signed document");
  }
  if (!problems.empty()) return fail(ErrorCode::kInvalidArgument, join(problems));
  auto user = get(user_id);
  if (!user) return tl::unexpected(user.error());
  if (user->kind != UserKind::kIndividual) {
    return fail(ErrorCode::kInvalidArgument, "organisations have no guardian");
  }
  const std::string id = ids_.next_uuid().to_string();
  Status saved = store_.transact([&](store::Session& session) -> Status {
    auto inserted = session.execute(
        "INSERT INTO identity_guardian_consents (id, user_id, relation, evidence_sha256, actor, "
        "granted_ms) VALUES (?, ?, ?, ?, ?, ?)",
        {id, user->id, trimmed(consent.relation), consent.evidence_sha256, consent.actor,
         to_ms(clock_.now())});
    if (!inserted) return tl::unexpected(inserted.error());
    if (auto s = vault_.put(session, id, "name", trimmed(consent.guardian_name), false); !s) {
      return s;
    }
    return vault_.put(session, id, "id_number", guardian_id.normalized, true);
  });
  if (!saved) return tl::unexpected(saved.error());
  audit::AuditEvent event;
  event.type = audit::EventType::kConsentGranted;
  event.actor = consent.actor;
  event.user_id = user->id;
  event.subjects["guardian_consent"] = id;
  event.details = {{"kind", "guardian"},
                   {"relation", trimmed(consent.relation)},
                   {"evidence_sha256", consent.evidence_sha256}};
  if (auto a = audit_.append(std::move(event)); !a) return tl::unexpected(a.error());

  // A minor who passed verification and waited for this consent is now verified.
  if (user->state == UserState::kPending && user->awaiting) {
    auto rows = store_.query(
        "SELECT method, id FROM identity_verifications WHERE user_id = ? AND status = 'passed' "
        "ORDER BY created_ms DESC",
        {user->id});
    if (!rows) return tl::unexpected(rows.error());
    if (!rows->empty()) {
      const std::string method = *rows->rows[0].text(0);
      Status saved2 = store_.transact([&](store::Session& session) -> Status {
        auto updated = session.execute(
            "UPDATE identity_users SET state = 'verified', awaiting = NULL, verified_by = ?, "
            "updated_ms = ? WHERE id = ? AND state = 'pending'",
            {method, to_ms(clock_.now()), user->id});
        if (!updated) return tl::unexpected(updated.error());
        if (*updated != 1) return {};
        return record_change(session, user->id, UserState::kPending, UserState::kVerified,
                             consent.actor, "guardian consent recorded");
      });
      if (!saved2) return tl::unexpected(saved2.error());
      if (auto a = audit_event(audit::EventType::kUserVerified, user->id, consent.actor,
                               {{"method", method}, {"guardian_consent", id}});
          !a) {
        return tl::unexpected(a.error());
      }
    }
  }
  return get(user_id);
}

Result<User> UserRegistry::suspend(std::string_view user_id, std::string_view reason,
                                   std::string_view actor) {
  if (trimmed(reason).empty()) return fail(ErrorCode::kInvalidArgument, "a reason is required");
  Status saved = store_.transact([&](store::Session& session) -> Status {
    auto user = read_user(session, user_id);
    if (!user) return tl::unexpected(user.error());
    if (user->state == UserState::kSuspended) {
      return fail(ErrorCode::kFailedPrecondition, "the user is already suspended");
    }
    auto updated = session.execute(
        "UPDATE identity_users SET state = 'suspended', state_before_suspension = ?, "
        "updated_ms = ? WHERE id = ?",
        {std::string(user_state_name(user->state)), to_ms(clock_.now()), user->id});
    if (!updated) return tl::unexpected(updated.error());
    return record_change(session, user->id, user->state, UserState::kSuspended, actor, reason);
  });
  if (!saved) return tl::unexpected(saved.error());
  if (auto a = audit_event(audit::EventType::kUserSuspended, std::string(user_id), actor,
                           {{"action", "suspended"}, {"reason", trimmed(reason)}});
      !a) {
    return tl::unexpected(a.error());
  }
  return get(user_id);
}

Result<User> UserRegistry::reinstate(std::string_view user_id, std::string_view reason,
                                     std::string_view actor) {
  if (trimmed(reason).empty()) return fail(ErrorCode::kInvalidArgument, "a reason is required");
  Status saved = store_.transact([&](store::Session& session) -> Status {
    auto user = read_user(session, user_id);
    if (!user) return tl::unexpected(user.error());
    if (user->state != UserState::kSuspended) {
      return fail(ErrorCode::kFailedPrecondition, "the user is not suspended");
    }
    auto before = session.query("SELECT state_before_suspension FROM identity_users WHERE id = ?",
                                {user->id});
    if (!before) return tl::unexpected(before.error());
    UserState to = UserState::kUnverified;
    if (auto text = optional_text(before->rows[0], 0)) to = parse_state(*text);
    if (to == UserState::kSuspended) to = UserState::kUnverified;
    auto updated = session.execute(
        "UPDATE identity_users SET state = ?, state_before_suspension = NULL, updated_ms = ? "
        "WHERE id = ?",
        {std::string(user_state_name(to)), to_ms(clock_.now()), user->id});
    if (!updated) return tl::unexpected(updated.error());
    return record_change(session, user->id, UserState::kSuspended, to, actor, reason);
  });
  if (!saved) return tl::unexpected(saved.error());
  if (auto a = audit_event(audit::EventType::kUserReinstated, std::string(user_id), actor,
                           {{"reason", trimmed(reason)}});
      !a) {
    return tl::unexpected(a.error());
  }
  return get(user_id);
}

Result<bool> UserRegistry::can_generate(std::string_view user_id) {
  auto user = get(user_id);
  if (!user) {
    if (user.error().code == ErrorCode::kNotFound) return false;
    return tl::unexpected(user.error());
  }
  return user->state == UserState::kVerified;
}

const store::MigrationSet& identity_migrations() {
  static const store::MigrationSet set{
      "identity", {{1, "users, state history, verifications, guardian consents", kSqlite, {}}}};
  return set;
}

}  // namespace synthgate::identity
