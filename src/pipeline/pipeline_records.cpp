#include "pipeline/pipeline_records.hpp"

#include <nlohmann/json.hpp>

namespace synthgate::pipeline {

namespace {

using nlohmann::json;

constexpr std::string_view kSql = R"sql(
CREATE TABLE pipeline_admissions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  service TEXT NOT NULL,
  modality TEXT NOT NULL,
  decision TEXT NOT NULL,
  reasons TEXT NOT NULL,
  prompt_sha256 TEXT NOT NULL,
  consent_ids TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL,
  audit_index BIGINT NOT NULL
);
CREATE INDEX pipeline_admissions_user ON pipeline_admissions (user_id, created_ms);
CREATE TABLE content_records (
  id TEXT PRIMARY KEY,
  admission_id TEXT NOT NULL REFERENCES pipeline_admissions (id),
  user_id TEXT NOT NULL,
  service TEXT NOT NULL,
  modality TEXT NOT NULL,
  format TEXT NOT NULL,
  input_sha256 TEXT NOT NULL,
  output_sha256 TEXT NOT NULL,
  pdq TEXT,
  watermark_payload TEXT,
  labels TEXT NOT NULL,
  aigc TEXT,
  created_ms BIGINT NOT NULL,
  revoked_ms BIGINT,
  revoke_reason TEXT,
  audit_index BIGINT NOT NULL
);
CREATE INDEX content_records_admission ON content_records (admission_id);
CREATE INDEX content_records_watermark ON content_records (watermark_payload);
CREATE INDEX content_records_user ON content_records (user_id, created_ms);
)sql";

Result<std::vector<Reason>> parse_reasons(const std::string& text) {
  auto parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    return fail(ErrorCode::kInternal, "a stored admission has unreadable reasons");
  }
  std::vector<Reason> out;
  for (const auto& r : parsed) {
    Reason reason{r.value("code", ""), r.value("action", ""), r.value("message", ""), {}};
    const auto detail = r.find("detail");
    if (detail != r.end() && detail->is_object()) {
      for (auto it = detail->begin(); it != detail->end(); ++it) {
        if (it->is_string()) reason.detail.emplace_back(it.key(), it->get<std::string>());
      }
    }
    out.push_back(std::move(reason));
  }
  return out;
}

std::string list_json(const std::vector<std::string>& items) {
  return json(items).dump();
}

std::vector<std::string> parse_list(const std::string& text) {
  auto parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) return {};
  std::vector<std::string> out;
  for (const auto& item : parsed)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

store::Value optional_text(const std::optional<std::string>& value) {
  if (value) return *value;
  return store::Null{};
}

Result<std::optional<std::string>> read_optional_text(const store::Row& row, std::size_t i) {
  if (row.is_null(i)) return std::optional<std::string>();
  auto text = row.text(i);
  if (!text) return tl::unexpected(text.error());
  return std::optional<std::string>(*text);
}

constexpr std::string_view kAdmissionColumns =
    "id, user_id, service, modality, decision, reasons, prompt_sha256, consent_ids, actor, "
    "created_ms, expires_ms, audit_index";

Result<AdmissionRecord> admission_from(const store::Row& row) {
  AdmissionRecord r;
  auto text = [&](std::size_t i, std::string& out) -> Status {
    auto v = row.text(i);
    if (!v) return tl::unexpected(v.error());
    out = std::move(*v);
    return {};
  };
  std::string reasons, consents;
  for (auto [i, out] : {std::pair{0, &r.id},
                        {1, &r.user_id},
                        {2, &r.service},
                        {3, &r.modality},
                        {4, &r.decision},
                        {5, &reasons},
                        {6, &r.prompt_sha256},
                        {7, &consents},
                        {8, &r.actor}}) {
    if (auto ok = text(static_cast<std::size_t>(i), *out); !ok) return tl::unexpected(ok.error());
  }
  auto parsed = parse_reasons(reasons);
  if (!parsed) return tl::unexpected(parsed.error());
  r.reasons = std::move(*parsed);
  r.consent_ids = parse_list(consents);
  auto created = row.integer(9);
  auto expires = row.integer(10);
  auto index = row.integer(11);
  if (!created || !expires || !index) {
    return fail(ErrorCode::kInternal, "a stored admission has unreadable numbers");
  }
  r.created_ms = *created;
  r.expires_ms = *expires;
  r.audit_index = static_cast<std::uint64_t>(*index);
  return r;
}

constexpr std::string_view kContentColumns =
    "id, admission_id, user_id, service, modality, format, input_sha256, output_sha256, pdq, "
    "watermark_payload, labels, aigc, created_ms, revoked_ms, revoke_reason, audit_index";

Result<ContentRecord> content_from(const store::Row& row) {
  ContentRecord r;
  std::string labels;
  for (auto [i, out] : {std::pair{0, &r.id},
                        {1, &r.admission_id},
                        {2, &r.user_id},
                        {3, &r.service},
                        {4, &r.modality},
                        {5, &r.format},
                        {6, &r.input_sha256},
                        {7, &r.output_sha256},
                        {10, &labels}}) {
    auto v = row.text(static_cast<std::size_t>(i));
    if (!v) return tl::unexpected(v.error());
    *out = std::move(*v);
  }
  r.labels = parse_list(labels);
  auto pdq = read_optional_text(row, 8);
  auto payload = read_optional_text(row, 9);
  auto aigc = read_optional_text(row, 11);
  auto reason = read_optional_text(row, 14);
  if (!pdq || !payload || !aigc || !reason) {
    return fail(ErrorCode::kInternal, "a stored content record has unreadable text");
  }
  r.pdq = *pdq;
  r.watermark_payload = *payload;
  r.aigc = *aigc;
  r.revoke_reason = reason->value_or("");
  auto created = row.integer(12);
  auto index = row.integer(15);
  if (!created || !index)
    return fail(ErrorCode::kInternal, "a stored content record is unreadable");
  r.created_ms = *created;
  r.audit_index = static_cast<std::uint64_t>(*index);
  if (!row.is_null(13)) {
    auto revoked = row.integer(13);
    if (!revoked) return tl::unexpected(revoked.error());
    r.revoked_ms = *revoked;
  }
  return r;
}

Result<std::vector<ContentRecord>> read_contents(store::Store& store, std::string_view where,
                                                 const store::Params& params) {
  auto rows = store.query(
      "SELECT " + std::string(kContentColumns) + " FROM content_records " + std::string(where),
      params);
  if (!rows) return tl::unexpected(rows.error());
  std::vector<ContentRecord> out;
  for (const auto& row : rows->rows) {
    auto record = content_from(row);
    if (!record) return tl::unexpected(record.error());
    out.push_back(std::move(*record));
  }
  return out;
}

}  // namespace

json reasons_json(const std::vector<Reason>& reasons) {
  json out = json::array();
  for (const auto& r : reasons) {
    json detail = json::object();
    for (const auto& [k, v] : r.detail) detail[k] = v;
    out.push_back(
        {{"code", r.code}, {"action", r.action}, {"message", r.message}, {"detail", detail}});
  }
  return out;
}

Status PipelineRecords::add_admission(const AdmissionRecord& r) {
  auto done = store_.execute(
      "INSERT INTO pipeline_admissions (" + std::string(kAdmissionColumns) +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.user_id, r.service, r.modality, r.decision, reasons_json(r.reasons).dump(),
       r.prompt_sha256, list_json(r.consent_ids), r.actor, r.created_ms, r.expires_ms,
       static_cast<std::int64_t>(r.audit_index)});
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<AdmissionRecord> PipelineRecords::admission(std::string_view id) {
  auto rows = store_.query(
      "SELECT " + std::string(kAdmissionColumns) + " FROM pipeline_admissions WHERE id = ?",
      {std::string(id)});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "no admission " + std::string(id));
  return admission_from(rows->rows.front());
}

Status PipelineRecords::add_content(const ContentRecord& r) {
  auto done = store_.execute(
      "INSERT INTO content_records (" + std::string(kContentColumns) +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.admission_id, r.user_id, r.service, r.modality, r.format, r.input_sha256,
       r.output_sha256, optional_text(r.pdq), optional_text(r.watermark_payload),
       list_json(r.labels), optional_text(r.aigc), r.created_ms,
       r.revoked_ms ? store::Value(*r.revoked_ms) : store::Value(store::Null{}),
       r.revoked_ms ? store::Value(r.revoke_reason) : store::Value(store::Null{}),
       static_cast<std::int64_t>(r.audit_index)});
  if (!done) return tl::unexpected(done.error());
  return {};
}

Result<ContentRecord> PipelineRecords::content(std::string_view id) {
  auto found = read_contents(store_, "WHERE id = ?", {std::string(id)});
  if (!found) return tl::unexpected(found.error());
  if (found->empty()) return fail(ErrorCode::kNotFound, "no content record " + std::string(id));
  return std::move(found->front());
}

Result<std::vector<ContentRecord>> PipelineRecords::contents_by_watermark(
    std::string_view payload_hex) {
  return read_contents(store_, "WHERE watermark_payload = ? ORDER BY created_ms",
                       {std::string(payload_hex)});
}

Result<std::vector<ContentRecord>> PipelineRecords::contents_of_admission(
    std::string_view admission_id) {
  return read_contents(store_, "WHERE admission_id = ? ORDER BY created_ms",
                       {std::string(admission_id)});
}

Status PipelineRecords::revoke_content(std::string_view id, std::int64_t revoked_ms,
                                       std::string_view reason) {
  auto changed = store_.execute(
      "UPDATE content_records SET revoked_ms = ?, revoke_reason = ? WHERE id = ? AND "
      "revoked_ms IS NULL",
      {revoked_ms, std::string(reason), std::string(id)});
  if (!changed) return tl::unexpected(changed.error());
  if (*changed == 0) {
    auto existing = content(id);
    if (!existing) return tl::unexpected(existing.error());
    return fail(ErrorCode::kFailedPrecondition,
                "content " + std::string(id) + " is already revoked");
  }
  return {};
}

const store::MigrationSet& pipeline_migrations() {
  static const store::MigrationSet set{"pipeline",
                                       {{1, "admissions and content records", kSql, {}}}};
  return set;
}

}  // namespace synthgate::pipeline
