#include "complaints/complaint_records.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/digest.hpp"
#include "core/encoding.hpp"

namespace synthgate::complaints {

namespace {

using nlohmann::json;

constexpr std::string_view kSql = R"sql(
CREATE TABLE complaints (
  id TEXT PRIMARY KEY,
  tracking_code TEXT NOT NULL UNIQUE,
  category TEXT NOT NULL,
  description TEXT NOT NULL,
  url TEXT NOT NULL,
  has_contact BIGINT NOT NULL,
  state TEXT NOT NULL,
  outcome TEXT NOT NULL,
  assignee TEXT NOT NULL,
  received_ms BIGINT NOT NULL,
  acknowledged_ms BIGINT,
  resolved_ms BIGINT,
  closed_ms BIGINT,
  escalated_ms BIGINT,
  attachment_sha256 TEXT,
  attachment_pdq TEXT,
  attachment_type TEXT,
  content_id TEXT,
  admission_id TEXT,
  user_id TEXT,
  duplicates BIGINT NOT NULL,
  audit_index BIGINT NOT NULL
);
CREATE INDEX complaints_metrics ON complaints (category, state, received_ms);
CREATE INDEX complaints_attachment ON complaints (attachment_sha256, received_ms);
CREATE INDEX complaints_user ON complaints (user_id);
CREATE TABLE complaint_events (
  id TEXT PRIMARY KEY,
  complaint_id TEXT NOT NULL REFERENCES complaints (id),
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  text TEXT NOT NULL,
  details TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  audit_index BIGINT NOT NULL
);
CREATE INDEX complaint_events_case ON complaint_events (complaint_id, created_ms);
)sql";

// The complainant's contact lives in the personal-data vault under this field, sealed.
constexpr std::string_view kContactField = "complaint_contact";

constexpr std::string_view kColumns =
    "id, tracking_code, category, description, url, has_contact, state, outcome, assignee, "
    "received_ms, acknowledged_ms, resolved_ms, closed_ms, escalated_ms, attachment_sha256, "
    "attachment_pdq, attachment_type, content_id, admission_id, user_id, duplicates, audit_index";

constexpr std::string_view kEventColumns =
    "id, complaint_id, kind, from_state, to_state, actor, text, details, created_ms, audit_index";

store::Value optional_text(const std::optional<std::string>& v) {
  if (v) return *v;
  return store::Null{};
}

store::Value optional_int(const std::optional<std::int64_t>& v) {
  if (v) return *v;
  return store::Null{};
}

Result<Complaint> complaint_from(const store::Row& row) {
  Complaint c;
  std::string state;
  for (auto [i, out] : {std::pair{0, &c.id},
                        {1, &c.tracking_code},
                        {2, &c.category},
                        {3, &c.description},
                        {4, &c.url},
                        {6, &state},
                        {7, &c.outcome},
                        {8, &c.assignee}}) {
    auto v = row.text(static_cast<std::size_t>(i));
    if (!v) return tl::unexpected(v.error());
    *out = std::move(*v);
  }
  auto has_contact = row.integer(5);
  if (!has_contact) return tl::unexpected(has_contact.error());
  c.has_contact = *has_contact != 0;
  auto parsed = parse_state(state);
  if (!parsed) return fail(ErrorCode::kInternal, "a stored complaint has an unknown state");
  c.state = *parsed;
  for (auto [i, out] : {std::pair{10, &c.acknowledged_ms},
                        {11, &c.resolved_ms},
                        {12, &c.closed_ms},
                        {13, &c.escalated_ms}}) {
    if (row.is_null(static_cast<std::size_t>(i))) continue;
    auto v = row.integer(static_cast<std::size_t>(i));
    if (!v) return tl::unexpected(v.error());
    *out = *v;
  }
  for (auto [i, out] : {std::pair{14, &c.attachment_sha256},
                        {15, &c.attachment_pdq},
                        {16, &c.attachment_type},
                        {17, &c.content_id},
                        {18, &c.admission_id},
                        {19, &c.user_id}}) {
    if (row.is_null(static_cast<std::size_t>(i))) continue;
    auto v = row.text(static_cast<std::size_t>(i));
    if (!v) return tl::unexpected(v.error());
    *out = std::move(*v);
  }
  auto received = row.integer(9);
  auto duplicates = row.integer(20);
  auto index = row.integer(21);
  if (!received || !duplicates || !index) {
    return fail(ErrorCode::kInternal, "a stored complaint has unreadable numbers");
  }
  c.received_ms = *received;
  c.duplicates = *duplicates;
  c.audit_index = static_cast<std::uint64_t>(*index);
  return c;
}

Result<ComplaintEvent> event_from(const store::Row& row) {
  ComplaintEvent e;
  for (auto [i, out] : {std::pair{0, &e.id},
                        {1, &e.complaint_id},
                        {2, &e.kind},
                        {3, &e.from_state},
                        {4, &e.to_state},
                        {5, &e.actor},
                        {6, &e.text},
                        {7, &e.details}}) {
    auto v = row.text(static_cast<std::size_t>(i));
    if (!v) return tl::unexpected(v.error());
    *out = std::move(*v);
  }
  auto created = row.integer(8);
  auto index = row.integer(9);
  if (!created || !index) return fail(ErrorCode::kInternal, "a stored event is unreadable");
  e.created_ms = *created;
  e.audit_index = static_cast<std::uint64_t>(*index);
  return e;
}

Result<std::vector<Complaint>> read_complaints(store::Store& store, const std::string& where,
                                               const store::Params& params) {
  auto rows = store.query("SELECT " + std::string(kColumns) + " FROM complaints " + where, params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Complaint> out;
  for (const auto& row : rows->rows) {
    auto c = complaint_from(row);
    if (!c) return tl::unexpected(c.error());
    out.push_back(std::move(*c));
  }
  return out;
}

// Writes the fields a case changes over its life, only if it is still in `expected` state:
// two officers acting at once cannot both move it.
Status update_case(store::Store& store, const Complaint& c, ComplaintState expected) {
  auto changed = store.execute(
      "UPDATE complaints SET state = ?, outcome = ?, assignee = ?, acknowledged_ms = ?, "
      "resolved_ms = ?, closed_ms = ?, escalated_ms = ?, duplicates = ? "
      "WHERE id = ? AND state = ?",
      {std::string(state_name(c.state)), c.outcome, c.assignee, optional_int(c.acknowledged_ms),
       optional_int(c.resolved_ms), optional_int(c.closed_ms), optional_int(c.escalated_ms),
       c.duplicates, c.id, std::string(state_name(expected))});
  if (!changed) return tl::unexpected(changed.error());
  if (*changed == 0) {
    return fail(ErrorCode::kConflict, "the complaint changed meanwhile; read it again");
  }
  return {};
}

}  // namespace

ComplaintRecords::ComplaintRecords(store::Store& store, audit::AuditLog& audit,
                                   identity::PersonalDataVault& vault, const Clock& clock,
                                   IdGenerator& ids, RandomSource& random)
    : store_(store), audit_(audit), vault_(vault), clock_(clock), ids_(ids), random_(random) {}

std::string ComplaintRecords::new_tracking_code() {
  // Crockford base32 without I, L, O, U: read over the phone without mistakes. 60 bits, so
  // codes cannot be guessed to read other people's status.
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const auto bytes = random_.bytes(12);
  std::string code = "C";
  for (std::size_t i = 0; i < 12; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kAlphabet[bytes[i] % 32];
  }
  return code;
}

Result<std::uint64_t> ComplaintRecords::audit(const Complaint& c, const std::string& event,
                                              std::map<std::string, std::string> details,
                                              std::string_view actor) {
  audit::AuditEvent e;
  e.type = audit::EventType::kComplaintAction;
  e.time = clock_.now();
  e.actor = actor.empty() ? "system" : std::string(actor);
  e.user_id = c.user_id;
  e.content_id = c.content_id;
  e.subjects["complaint"] = c.id;
  if (c.attachment_sha256) e.content_hashes["attachment_sha256"] = *c.attachment_sha256;
  details["event"] = event;
  details["category"] = c.category;
  e.details = std::move(details);
  return audit_.append(std::move(e));
}

Result<ComplaintEvent> ComplaintRecords::add_event(ComplaintEvent e) {
  e.id = ids_.next_uuid().to_string();
  if (e.details.empty()) e.details = "{}";
  auto done =
      store_.execute("INSERT INTO complaint_events (" + std::string(kEventColumns) +
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     {e.id, e.complaint_id, e.kind, e.from_state, e.to_state, e.actor, e.text,
                      e.details, e.created_ms, static_cast<std::int64_t>(e.audit_index)});
  if (!done) return tl::unexpected(done.error());
  return e;
}

Result<Intake> ComplaintRecords::receive(const NewComplaint& n,
                                         std::chrono::hours duplicate_window) {
  if (!is_category(n.category)) {
    return fail(ErrorCode::kInvalidArgument, "unknown category \"" + n.category + "\"");
  }
  const std::int64_t now = unix_millis(clock_.now());
  if (n.attachment_sha256 && duplicate_window.count() > 0) {
    const std::int64_t since =
        now - std::chrono::duration_cast<std::chrono::milliseconds>(duplicate_window).count();
    auto earlier = read_complaints(
        store_, "WHERE attachment_sha256 = ? AND received_ms >= ? ORDER BY received_ms LIMIT 1",
        {*n.attachment_sha256, since});
    if (!earlier) return tl::unexpected(earlier.error());
    if (!earlier->empty()) {
      Complaint c = earlier->front();
      auto index = audit(c, "duplicate", {{"state", std::string(state_name(c.state))}}, "public");
      if (!index) return tl::unexpected(index.error());
      auto bumped =
          store_.execute("UPDATE complaints SET duplicates = duplicates + 1 WHERE id = ?", {c.id});
      if (!bumped) return tl::unexpected(bumped.error());
      ++c.duplicates;
      json details{{"category", n.category}};
      if (!n.url.empty()) details["url"] = n.url;
      auto e = add_event(
          {"", c.id, "duplicate", "", "", "public", n.description, details.dump(), now, *index});
      if (!e) return tl::unexpected(e.error());
      return Intake{std::move(c), true};
    }
  }
  Complaint c;
  c.id = ids_.next_uuid().to_string();
  c.tracking_code = new_tracking_code();
  c.category = n.category;
  c.description = n.description;
  c.url = n.url;
  c.contact = n.contact;
  c.received_ms = now;
  c.attachment_sha256 = n.attachment_sha256;
  c.attachment_pdq = n.attachment_pdq;
  c.attachment_type = n.attachment_type;
  c.content_id = n.content_id;
  c.admission_id = n.admission_id;
  c.user_id = n.user_id;
  std::map<std::string, std::string> details{{"state", "received"}};
  if (c.admission_id) details["admission"] = *c.admission_id;
  auto index = audit(c, "received", std::move(details), "public");
  if (!index) return tl::unexpected(index.error());
  c.audit_index = *index;
  c.has_contact = !c.contact.empty();
  // The row and the sealed contact commit together: a case never loses its contact, and
  // the contact is never stored in the clear.
  Status done = store_.transact([&](store::Session& session) -> Status {
    auto inserted = session.execute(
        "INSERT INTO complaints (" + std::string(kColumns) +
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {c.id,
         c.tracking_code,
         c.category,
         c.description,
         c.url,
         std::int64_t{c.has_contact ? 1 : 0},
         std::string(state_name(c.state)),
         c.outcome,
         c.assignee,
         c.received_ms,
         store::Null{},
         store::Null{},
         store::Null{},
         store::Null{},
         optional_text(c.attachment_sha256),
         optional_text(c.attachment_pdq),
         optional_text(c.attachment_type),
         optional_text(c.content_id),
         optional_text(c.admission_id),
         optional_text(c.user_id),
         std::int64_t{0},
         static_cast<std::int64_t>(c.audit_index)});
    if (!inserted) return tl::unexpected(inserted.error());
    if (!c.has_contact) return {};
    return vault_.put(session, c.id, kContactField, c.contact, false);
  });
  if (!done) return tl::unexpected(done.error());
  auto e = add_event({"", c.id, "received", "", "received", "public", "", "{}", now, *index});
  if (!e) return tl::unexpected(e.error());
  return Intake{std::move(c), false};
}

Result<std::string> ComplaintRecords::contact(const Complaint& complaint, std::string_view actor,
                                              std::string_view purpose) {
  if (!complaint.has_contact) return std::string();
  return vault_.reveal_text(complaint.id, kContactField,
                            identity::ReadReason{std::string(actor), std::string(purpose), {}});
}

Result<Complaint> ComplaintRecords::get(std::string_view id) {
  auto found = read_complaints(store_, "WHERE id = ?", {std::string(id)});
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return fail(ErrorCode::kNotFound, "no complaint " + std::string(id));
  return std::move(found->front());
}

Result<Complaint> ComplaintRecords::by_tracking_code(std::string_view code) {
  auto found = read_complaints(store_, "WHERE tracking_code = ?", {std::string(code)});
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return fail(ErrorCode::kNotFound, "no complaint with this tracking code");
  return std::move(found->front());
}

Result<std::vector<Complaint>> ComplaintRecords::list(const ComplaintFilter& filter,
                                                      const ComplaintLimits& limits) {
  std::string where = "WHERE 1 = 1";
  store::Params params;
  if (filter.state) {
    where += " AND state = ?";
    params.emplace_back(std::string(state_name(*filter.state)));
  }
  if (filter.category) {
    where += " AND category = ?";
    params.emplace_back(*filter.category);
  }
  if (filter.assignee) {
    where += " AND assignee = ?";
    params.emplace_back(*filter.assignee);
  }
  // Overdue is decided here against the limits, so the SQL reads open cases only then.
  if (filter.overdue_only) where += " AND state NOT IN ('actioned', 'rejected', 'closed')";
  where += " ORDER BY received_ms DESC, id";
  if (!filter.overdue_only) where += " LIMIT " + std::to_string(filter.limit);
  auto found = read_complaints(store_, where, params);
  if (!found || !filter.overdue_only) return found;
  const std::int64_t now = unix_millis(clock_.now());
  std::vector<Complaint> out;
  for (auto& c : *found) {
    if (out.size() >= filter.limit) break;
    if (c.escalated_ms || limits.breached(c, now)) out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<ComplaintEvent>> ComplaintRecords::events(std::string_view id) {
  auto rows = store_.query("SELECT " + std::string(kEventColumns) +
                               " FROM complaint_events WHERE complaint_id = ? "
                               "ORDER BY created_ms, audit_index",
                           {std::string(id)});
  if (!rows) return tl::unexpected(rows.error());
  std::vector<ComplaintEvent> out;
  for (const auto& row : rows->rows) {
    auto e = event_from(row);
    if (!e) return tl::unexpected(e.error());
    out.push_back(std::move(*e));
  }
  return out;
}

Result<Complaint> ComplaintRecords::assign(std::string_view id, std::string_view assignee,
                                           std::string_view actor) {
  auto c = get(id);
  if (!c) return c;
  const std::string state(state_name(c->state));
  auto index =
      audit(*c, "assignment", {{"assignee", std::string(assignee)}, {"state", state}}, actor);
  if (!index) return tl::unexpected(index.error());
  Complaint next = *c;
  next.assignee = std::string(assignee);
  if (auto ok = update_case(store_, next, c->state); !ok) return tl::unexpected(ok.error());
  auto e = add_event({"", next.id, "assignment", state, state, std::string(actor),
                      std::string(assignee), "{}", unix_millis(clock_.now()), *index});
  if (!e) return tl::unexpected(e.error());
  return next;
}

Result<Complaint> ComplaintRecords::transition(std::string_view id, ComplaintState to,
                                               std::string_view actor, std::string_view note) {
  auto c = get(id);
  if (!c) return c;
  if (!transition_allowed(c->state, to, c->outcome)) {
    return fail(ErrorCode::kFailedPrecondition, "a complaint cannot go from " +
                                                    std::string(state_name(c->state)) + " to " +
                                                    std::string(state_name(to)));
  }
  const std::int64_t now = unix_millis(clock_.now());
  Complaint next = *c;
  next.state = to;
  if (to == ComplaintState::kAcknowledged && !next.acknowledged_ms) next.acknowledged_ms = now;
  if (to == ComplaintState::kActioned || to == ComplaintState::kRejected) {
    next.outcome = std::string(state_name(to));
    next.resolved_ms = now;
  }
  if (to == ComplaintState::kClosed) next.closed_ms = now;
  if (to == ComplaintState::kAppealed) {
    next.closed_ms.reset();  // the case is open again until the appeal is decided
  }
  const std::string from(state_name(c->state));
  const std::string target(state_name(to));
  std::map<std::string, std::string> details{{"from", from}, {"to", target}};
  if (!note.empty()) details["note_sha256"] = hex_encode(sha256(as_bytes(note)));
  auto index = audit(next, "transition", std::move(details), actor);
  if (!index) return tl::unexpected(index.error());
  if (auto ok = update_case(store_, next, c->state); !ok) return tl::unexpected(ok.error());
  auto e = add_event({"", next.id, "transition", from, target, std::string(actor),
                      std::string(note), "{}", now, *index});
  if (!e) return tl::unexpected(e.error());
  return next;
}

Result<ComplaintEvent> ComplaintRecords::add_note(std::string_view id, std::string_view text,
                                                  std::string_view actor) {
  if (text.empty()) return fail(ErrorCode::kInvalidArgument, "a note needs text");
  auto c = get(id);
  if (!c) return tl::unexpected(c.error());
  const std::string state(state_name(c->state));
  // The audit keeps the note's digest: internal notes may name people.
  auto index = audit(*c, "note", {{"note_sha256", hex_encode(sha256(as_bytes(text)))}}, actor);
  if (!index) return tl::unexpected(index.error());
  return add_event({"", c->id, "note", state, state, std::string(actor), std::string(text), "{}",
                    unix_millis(clock_.now()), *index});
}

Result<ComplaintEvent> ComplaintRecords::record_action(std::string_view id,
                                                       const ComplaintAction& action,
                                                       std::string_view actor,
                                                       const std::function<Status()>& effect) {
  auto c = get(id);
  if (!c) return tl::unexpected(c.error());
  auto details = action.details;
  details["action"] = action.action;
  auto index = audit(*c, "action", details, actor);
  if (!index) return tl::unexpected(index.error());
  if (effect) {
    if (auto done = effect(); !done) return tl::unexpected(done.error());
  }
  const std::string state(state_name(c->state));
  return add_event({"", c->id, "action", state, state, std::string(actor), action.summary,
                    json(details).dump(), unix_millis(clock_.now()), *index});
}

Result<std::vector<Complaint>> ComplaintRecords::escalate_overdue(const ComplaintLimits& limits) {
  auto open = read_complaints(store_,
                              "WHERE escalated_ms IS NULL AND state NOT IN ('actioned', "
                              "'rejected', 'closed') ORDER BY received_ms",
                              {});
  if (!open) return tl::unexpected(open.error());
  const std::int64_t now = unix_millis(clock_.now());
  std::vector<Complaint> out;
  for (auto& c : *open) {
    const auto limit = limits.breached(c, now);
    if (!limit) continue;
    const std::int64_t deadline =
        *limit == "acknowledge" ? limits.acknowledge_deadline_ms(c) : limits.resolve_deadline_ms(c);
    const std::string state(state_name(c.state));
    auto index = audit(
        c, "escalation",
        {{"limit", *limit}, {"deadline_ms", std::to_string(deadline)}, {"state", state}}, "system");
    if (!index) return tl::unexpected(index.error());
    Complaint next = c;
    next.escalated_ms = now;
    if (auto ok = update_case(store_, next, c.state); !ok) {
      if (ok.error().code == ErrorCode::kConflict) continue;  // moved meanwhile: next sweep
      return tl::unexpected(ok.error());
    }
    const json details{{"limit", *limit}, {"deadline_ms", deadline}};
    auto e = add_event({"", c.id, "escalation", state, state, "system",
                        "the " + *limit + " time limit passed", details.dump(), now, *index});
    if (!e) return tl::unexpected(e.error());
    out.push_back(std::move(next));
  }
  return out;
}

Result<ComplaintStats> ComplaintRecords::stats() {
  auto rows =
      store_.query("SELECT category, state, outcome, received_ms, resolved_ms FROM complaints", {});
  if (!rows) return tl::unexpected(rows.error());
  ComplaintStats s;
  std::vector<std::int64_t> handling;
  for (const auto& row : rows->rows) {
    auto category = row.text(0);
    auto state = row.text(1);
    auto outcome = row.text(2);
    auto received = row.integer(3);
    if (!category || !state || !outcome || !received) {
      return fail(ErrorCode::kInternal, "a stored complaint is unreadable");
    }
    ++s.total;
    auto& counts = s.by_category[*category];
    ++counts["received"];
    // An appealed case counts as open again until it is decided once more.
    if (outcome->empty() || *state == "appealed" || *state == "under_review") {
      ++counts["open"];
    } else {
      ++counts[*outcome];
    }
    if (!row.is_null(4)) {
      auto resolved = row.integer(4);
      if (resolved) handling.push_back(*resolved - *received);
    }
  }
  for (const auto& category : complaint_categories()) {
    auto& counts = s.by_category[category];
    for (const char* key : {"received", "open", "actioned", "rejected"}) counts[key] += 0;
  }
  if (!handling.empty()) {
    std::sort(handling.begin(), handling.end());
    const std::size_t mid = handling.size() / 2;
    s.median_handling_ms =
        handling.size() % 2 == 1 ? handling[mid] : (handling[mid - 1] + handling[mid]) / 2;
  }
  return s;
}

const store::MigrationSet& complaint_migrations() {
  static const store::MigrationSet set{"complaints",
                                       {{1, "complaints and their events", kSql, {}}}};
  return set;
}

}  // namespace synthgate::complaints
