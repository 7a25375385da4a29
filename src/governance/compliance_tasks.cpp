#include "governance/compliance_tasks.hpp"

#include <chrono>

#include "audit/time_text.hpp"
#include "core/encoding.hpp"

namespace synthgate::governance {

namespace {

using json = nlohmann::json;
using namespace std::chrono;

constexpr std::int64_t kDayMs = 86400000;
constexpr std::string_view kTaskColumns =
    "SELECT id, kind, subject, title, owner_role, created_ms, due_ms, done_ms, done_by, result "
    "FROM governance_tasks ";

Result<ComplianceTask> task_from(const store::Row& row) {
  ComplianceTask t;
  for (auto [i, out] : {std::pair{0, &t.id}, {1, &t.kind}, {2, &t.subject}, {3, &t.title}}) {
    auto v = row.text(static_cast<std::size_t>(i));
    if (!v) return tl::unexpected(v.error());
    *out = std::move(*v);
  }
  auto owner = row.text(4);
  if (!owner) return tl::unexpected(owner.error());
  auto role = parse_role(*owner);
  if (!role) return tl::unexpected(role.error());
  t.owner = *role;
  auto created = row.integer(5);
  auto due = row.integer(6);
  if (!created || !due) return fail(ErrorCode::kInternal, "a stored task is unreadable");
  t.created_ms = *created;
  t.due_ms = *due;
  if (!row.is_null(7)) {
    auto done = row.integer(7);
    auto by = row.text(8);
    if (!done || !by) return fail(ErrorCode::kInternal, "a stored task is unreadable");
    t.done_ms = *done;
    t.done_by = *by;
  }
  if (!row.is_null(9)) {
    auto text = row.text(9);
    if (!text) return tl::unexpected(text.error());
    auto parsed = json::parse(*text, nullptr, false);
    if (!parsed.is_discarded()) t.result = std::move(parsed);
  }
  return t;
}

std::string quarter_name(year y, unsigned q) {
  return std::to_string(static_cast<int>(y)) + "-Q" + std::to_string(q);
}

}  // namespace

json task_json(const ComplianceTask& t, std::int64_t now_ms) {
  json out = {{"id", t.id},
              {"kind", t.kind},
              {"subject", t.subject},
              {"title", t.title},
              {"owner", role_name(t.owner)},
              {"created", audit::format_time(TimePoint(milliseconds(t.created_ms)))},
              {"due", audit::format_time(TimePoint(milliseconds(t.due_ms)))},
              {"state", t.done_ms ? "done" : (t.overdue(now_ms) ? "overdue" : "open")}};
  if (t.done_ms) {
    out["done"] = audit::format_time(TimePoint(milliseconds(*t.done_ms)));
    out["done_by"] = t.done_by;
  }
  if (t.result) out["result"] = *t.result;
  return out;
}

Result<std::pair<TimePoint, TimePoint>> quarter_bounds(const std::string& quarter) {
  int y = 0;
  unsigned q = 0;
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (quarter.size() != 7 || !digit(quarter[0]) || !digit(quarter[1]) || !digit(quarter[2]) ||
      !digit(quarter[3]) || quarter[4] != '-' || quarter[5] != 'Q' || quarter[6] < '1' ||
      quarter[6] > '4') {
    return fail(ErrorCode::kInvalidArgument, "expected a quarter like 2026-Q3, got " + quarter);
  }
  y = std::stoi(quarter.substr(0, 4));
  q = static_cast<unsigned>(quarter[6] - '0');
  const auto first = year{y} / month{3 * (q - 1) + 1} / 1;
  const sys_days from{first};
  const sys_days to{first + months{3}};
  return std::pair{TimePoint(from), TimePoint(to)};
}

Result<ComplianceTask> ComplianceTasks::open(const std::string& kind, const std::string& subject,
                                             const std::string& title, Role owner,
                                             std::int64_t due_ms) {
  auto existing = records_.store().query(
      std::string(kTaskColumns) + "WHERE kind = ? AND subject = ?", {kind, subject});
  if (!existing) return tl::unexpected(existing.error());
  if (!existing->empty()) return task_from(existing->rows[0]);
  ComplianceTask t;
  t.id = records_.ids().next_uuid().to_string();
  t.kind = kind;
  t.subject = subject;
  t.title = title;
  t.owner = owner;
  t.created_ms = unix_millis(records_.clock().now());
  t.due_ms = due_ms;
  audit::AuditEvent event;
  event.type = audit::EventType::kOperatorNote;
  event.actor = "system";
  event.subjects = {{"task", t.id}};
  event.details = {{"action", "compliance_task_opened"},
                   {"kind", kind},
                   {"subject", subject},
                   {"owner", std::string(role_name(owner))},
                   {"due", audit::format_time(TimePoint(milliseconds(due_ms)))}};
  if (auto index = records_.audit().append(std::move(event)); !index) {
    return tl::unexpected(index.error());
  }
  auto stored = records_.store().execute(
      "INSERT INTO governance_tasks (id, kind, subject, title, owner_role, created_ms, due_ms) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {t.id, kind, subject, title, std::string(role_name(owner)), t.created_ms, due_ms});
  if (!stored) return tl::unexpected(stored.error());
  return t;
}

Result<std::vector<ComplianceTask>> ComplianceTasks::list(bool open_only) {
  auto rows =
      records_.store().query(std::string(kTaskColumns) +
                             (open_only ? "WHERE done_ms IS NULL " : "") + "ORDER BY due_ms, id");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<ComplianceTask> out;
  for (const auto& row : rows->rows) {
    auto t = task_from(row);
    if (!t) return tl::unexpected(t.error());
    out.push_back(std::move(*t));
  }
  return out;
}

Result<ComplianceTask> ComplianceTasks::task(const std::string& id) {
  auto rows = records_.store().query(std::string(kTaskColumns) + "WHERE id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "no task " + id);
  return task_from(rows->rows[0]);
}

Result<std::vector<ThresholdAlert>> ComplianceTasks::raise_alerts(const ComplianceMetrics& metrics,
                                                                  const Thresholds& thresholds) {
  std::vector<ThresholdAlert> raised;
  const std::int64_t now = unix_millis(records_.clock().now());
  for (const auto& crossing : crossed_thresholds(metrics, thresholds)) {
    auto known = records_.store().query("SELECT id FROM governance_alerts WHERE metric = ?",
                                        {crossing.metric});
    if (!known) return tl::unexpected(known.error());
    if (!known->empty()) continue;
    auto t =
        open("security_assessment_filing", crossing.metric,
             "安全评估与算法备案 Security assessment and algorithm filing: " + crossing.metric +
                 " " + std::to_string(crossing.value) + " >= " + std::to_string(crossing.threshold),
             Role::kComplianceLead, now + 30 * kDayMs);
    if (!t) return tl::unexpected(t.error());
    audit::AuditEvent event;
    event.type = audit::EventType::kOperatorNote;
    event.actor = "system";
    event.subjects = {{"task", t->id}};
    event.details = {{"action", "compliance_threshold_crossed"},
                     {"metric", crossing.metric},
                     {"value", std::to_string(crossing.value)},
                     {"threshold", std::to_string(crossing.threshold)}};
    auto index = records_.audit().append(std::move(event));
    if (!index) return tl::unexpected(index.error());
    auto stored = records_.store().execute(
        "INSERT INTO governance_alerts (id, metric, value, threshold, raised_ms, task_id, "
        "audit_index) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {records_.ids().next_uuid().to_string(), crossing.metric, crossing.value,
         crossing.threshold, now, t->id, static_cast<std::int64_t>(*index)});
    if (!stored) return tl::unexpected(stored.error());
    raised.push_back({crossing, t->id, *index});
  }
  return raised;
}

Result<std::vector<ComplianceTask>> ComplianceTasks::overdue() {
  auto open_tasks = list(true);
  if (!open_tasks) return tl::unexpected(open_tasks.error());
  const std::int64_t now = unix_millis(records_.clock().now());
  std::vector<ComplianceTask> out;
  for (auto& t : *open_tasks) {
    if (!t.overdue(now)) continue;
    const std::string metric = "task_overdue:" + t.id;
    auto known =
        records_.store().query("SELECT id FROM governance_alerts WHERE metric = ?", {metric});
    if (!known) return tl::unexpected(known.error());
    if (known->empty()) {
      audit::AuditEvent event;
      event.type = audit::EventType::kOperatorNote;
      event.actor = "system";
      event.subjects = {{"task", t.id}};
      event.details = {{"action", "compliance_task_overdue"},
                       {"kind", t.kind},
                       {"subject", t.subject},
                       {"owner", std::string(role_name(t.owner))}};
      auto index = records_.audit().append(std::move(event));
      if (!index) return tl::unexpected(index.error());
      auto stored = records_.store().execute(
          "INSERT INTO governance_alerts (id, metric, value, threshold, raised_ms, task_id, "
          "audit_index) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {records_.ids().next_uuid().to_string(), metric, (now - t.due_ms) / kDayMs,
           std::int64_t{0}, now, t.id, static_cast<std::int64_t>(*index)});
      if (!stored) return tl::unexpected(stored.error());
    }
    out.push_back(std::move(t));
  }
  return out;
}

Result<ComplianceTask> ComplianceTasks::schedule_log_completeness() {
  const auto today = floor<days>(records_.clock().now());
  const year_month_day ymd{today};
  const unsigned current = (static_cast<unsigned>(ymd.month()) - 1) / 3 + 1;
  const year y = current == 1 ? ymd.year() - years{1} : ymd.year();
  const unsigned q = current == 1 ? 4 : current - 1;
  const std::string quarter = quarter_name(y, q);
  auto bounds = quarter_bounds(quarter);
  if (!bounds) return tl::unexpected(bounds.error());
  return open("log_completeness", quarter,
              "日志完整性季度核验 Quarterly log-completeness verification " + quarter,
              Role::kDataGovernanceOwner, unix_millis(bounds->second) + 30 * kDayMs);
}

Result<ComplianceTask> ComplianceTasks::verify_log_completeness(const std::string& task_id,
                                                                const std::string& person,
                                                                const audit::VerifierKey& key) {
  auto t = task(task_id);
  if (!t) return tl::unexpected(t.error());
  if (t->kind != "log_completeness") {
    return fail(ErrorCode::kInvalidArgument, "task " + task_id + " is not a log-completeness task");
  }
  if (t->done_ms) return fail(ErrorCode::kFailedPrecondition, "task " + task_id + " is done");
  auto owner = records_.role(Role::kDataGovernanceOwner);
  if (!owner) return tl::unexpected(owner.error());
  if (!*owner || (*owner)->person != person) {
    return fail(ErrorCode::kPermissionDenied,
                person + " is not the designated data-governance owner");
  }
  auto bounds = quarter_bounds(t->subject);
  if (!bounds) return tl::unexpected(bounds.error());
  auto report = records_.audit().verify(key);
  if (!report) return tl::unexpected(report.error());
  auto summary = records_.audit().summarize(bounds->first, bounds->second);
  if (!summary) return tl::unexpected(summary.error());
  json result = {{"verified", report->ok},
                 {"tree_size", report->tree_size},
                 {"sequence_continuous", report->sequence_continuous},
                 {"checkpoint_chain_ok", report->checkpoint_chain_ok},
                 {"latest_checkpoint_size", report->latest_checkpoint_size},
                 {"root", hex_encode(report->root)},
                 {"problems", report->problems},
                 {"quarter", t->subject},
                 {"entries_in_quarter", summary->entries},
                 {"by_type", summary->by_type},
                 {"checkpoints_in_quarter", summary->checkpoints}};
  if (!report->ok) {
    return fail(ErrorCode::kFailedPrecondition,
                "the audit log does not verify (" +
                    (report->problems.empty() ? std::string("see audit verify")
                                              : report->problems.front()) +
                    "); the task stays open");
  }
  return finish(*t, person, result);
}

Result<ComplianceTask> ComplianceTasks::finish(const ComplianceTask& task,
                                               const std::string& person, const json& result) {
  audit::AuditEvent event;
  event.type = audit::EventType::kOperatorNote;
  event.actor = person;
  event.subjects = {{"task", task.id}};
  event.details = {{"action", "compliance_task_done"},
                   {"kind", task.kind},
                   {"subject", task.subject},
                   {"result", result.dump()}};
  if (auto index = records_.audit().append(std::move(event)); !index) {
    return tl::unexpected(index.error());
  }
  const std::int64_t now = unix_millis(records_.clock().now());
  auto stored = records_.store().execute(
      "UPDATE governance_tasks SET done_ms = ?, done_by = ?, result = ? WHERE id = ? AND "
      "done_ms IS NULL",
      {now, person, result.dump(), task.id});
  if (!stored) return tl::unexpected(stored.error());
  if (*stored != 1)
    return fail(ErrorCode::kConflict, "task " + task.id + " was finished meanwhile");
  ComplianceTask out = task;
  out.done_ms = now;
  out.done_by = person;
  out.result = result;
  return out;
}

}  // namespace synthgate::governance
