#include "governance/compliance_metrics.hpp"

#include <chrono>

namespace synthgate::governance {

namespace {

Result<std::int64_t> count(store::Store& store, std::string_view sql, const store::Params& params) {
  auto rows = store.query(sql, params);
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty() || rows->rows[0].is_null(0)) return 0;
  return rows->rows[0].integer(0);
}

Result<bool> table_exists(store::Store& store, const std::string& name) {
  auto rows =
      store.backend() == store::Backend::kSqlite
          ? store.query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                        {name})
          : store.query(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ? AND "
                "table_schema = current_schema()",
                {name});
  if (!rows) return tl::unexpected(rows.error());
  auto n = rows->rows.at(0).integer(0);
  if (!n) return tl::unexpected(n.error());
  return *n > 0;
}

Result<std::map<std::string, std::int64_t>> grouped(store::Store& store, std::string_view sql) {
  auto rows = store.query(sql);
  if (!rows) return tl::unexpected(rows.error());
  std::map<std::string, std::int64_t> out;
  for (const auto& row : rows->rows) {
    auto key = row.text(0);
    auto n = row.integer(1);
    if (!key || !n) return fail(ErrorCode::kInternal, "an unreadable count");
    out[*key] = *n;
  }
  return out;
}

}  // namespace

Result<ComplianceMetrics> gather_metrics(store::Store& store, TimePoint as_of) {
  using namespace std::chrono;
  ComplianceMetrics m;
  m.as_of_ms = unix_millis(as_of);
  const auto day = floor<days>(as_of);
  const year_month_day ymd{day};
  const sys_days month_start{ymd.year() / ymd.month() / 1};
  const sys_days month_end{(ymd.year() / ymd.month() + months{1}) / 1};
  const std::int64_t day_from = unix_millis(TimePoint(day));
  const std::int64_t day_to = unix_millis(TimePoint(day + days{1}));
  const std::int64_t month_from = unix_millis(TimePoint(month_start));
  const std::int64_t month_to = unix_millis(TimePoint(month_end));

  auto registered = count(store, "SELECT COUNT(*) FROM identity_users", {});
  if (!registered) return tl::unexpected(registered.error());
  m.registered_users = *registered;
  auto verified = count(store, "SELECT COUNT(*) FROM identity_users WHERE state = 'verified'", {});
  if (!verified) return tl::unexpected(verified.error());
  m.verified_users = *verified;
  constexpr std::string_view kActive =
      "SELECT COUNT(DISTINCT user_id) FROM pipeline_admissions WHERE created_ms >= ? AND "
      "created_ms < ?";
  auto dau = count(store, kActive, {day_from, day_to});
  if (!dau) return tl::unexpected(dau.error());
  m.daily_active_users = *dau;
  auto mau = count(store, kActive, {month_from, month_to});
  if (!mau) return tl::unexpected(mau.error());
  m.monthly_active_users = *mau;
  auto generations =
      grouped(store, "SELECT modality, COUNT(*) FROM content_records GROUP BY modality");
  if (!generations) return tl::unexpected(generations.error());
  m.generations = std::move(*generations);
  for (const auto& [modality, n] : m.generations) m.generations_total += n;

  auto complaints = table_exists(store, "complaints");
  if (!complaints) return tl::unexpected(complaints.error());
  if (*complaints) {
    auto by_category =
        grouped(store, "SELECT category, COUNT(*) FROM complaints GROUP BY category");
    if (!by_category) return tl::unexpected(by_category.error());
    m.complaints_by_category = std::move(*by_category);
    for (const auto& [category, n] : m.complaints_by_category) m.complaints += n;
  } else {
    m.notes.emplace_back(
        "complaints: no complaints table in this database (complaint handling "
        "not installed); counted as 0");
  }
  return m;
}

nlohmann::json metrics_json(const ComplianceMetrics& m) {
  return {{"as_of_ms", m.as_of_ms},
          {"registered_users", m.registered_users},
          {"verified_users", m.verified_users},
          {"daily_active_users", m.daily_active_users},
          {"monthly_active_users", m.monthly_active_users},
          {"generations", m.generations},
          {"generations_total", m.generations_total},
          {"complaints", m.complaints},
          {"complaints_by_category", m.complaints_by_category},
          {"notes", m.notes}};
}

std::vector<ThresholdCrossing> crossed_thresholds(const ComplianceMetrics& m, const Thresholds& t) {
  std::vector<ThresholdCrossing> out;
  for (const auto& [name, value, threshold] :
       {std::tuple{"registered_users", m.registered_users, t.registered_users},
        {"verified_users", m.verified_users, t.verified_users},
        {"daily_active_users", m.daily_active_users, t.daily_active_users},
        {"monthly_active_users", m.monthly_active_users, t.monthly_active_users},
        {"generations_total", m.generations_total, t.generations_total}}) {
    if (threshold > 0 && value >= threshold) out.push_back({name, value, threshold});
  }
  return out;
}

}  // namespace synthgate::governance
