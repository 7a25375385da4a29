#include "governance/dataset_registry.hpp"

namespace synthgate::governance {

namespace {

constexpr std::string_view kColumns =
    "SELECT id, source, licence, pi_basis, consent, collected_on, registered_ms, sampled, "
    "flagged, usable, checked_ms FROM governance_datasets ";

Result<std::optional<std::int64_t>> optional_integer(const store::Row& row, std::size_t i) {
  if (row.is_null(i)) return std::optional<std::int64_t>();
  auto v = row.integer(i);
  if (!v) return tl::unexpected(v.error());
  return std::optional<std::int64_t>(*v);
}

Result<Dataset> dataset_from(const store::Row& row) {
  Dataset d;
  for (auto [i, out] : {std::pair{0, &d.id},
                        {1, &d.source},
                        {2, &d.licence},
                        {3, &d.pi_basis},
                        {4, &d.consent},
                        {5, &d.collected_on}}) {
    auto v = row.text(static_cast<std::size_t>(i));
    if (!v) return tl::unexpected(v.error());
    *out = std::move(*v);
  }
  auto registered = row.integer(6);
  auto sampled = optional_integer(row, 7);
  auto flagged = optional_integer(row, 8);
  auto usable = optional_integer(row, 9);
  auto checked = optional_integer(row, 10);
  if (!registered || !sampled || !flagged || !usable || !checked) {
    return fail(ErrorCode::kInternal, "a stored dataset is unreadable");
  }
  d.registered_ms = *registered;
  d.sampled = *sampled;
  d.flagged = *flagged;
  if (*usable) d.usable = **usable != 0;
  d.checked_ms = *checked;
  return d;
}

}  // namespace

bool corpus_usable(std::int64_t sampled, std::int64_t flagged) {
  // flagged / sampled <= 5%, in integers.
  return sampled > 0 && flagged * 100 <= sampled * 5;
}

nlohmann::json dataset_json(const Dataset& d) {
  nlohmann::json out = {{"id", d.id},           {"source", d.source},
                        {"licence", d.licence}, {"pi_basis", d.pi_basis},
                        {"consent", d.consent}, {"collected_on", d.collected_on}};
  if (d.checked_ms) {
    out["check"] = {{"sampled", *d.sampled},
                    {"flagged", *d.flagged},
                    {"usable", *d.usable},
                    {"checked_ms", *d.checked_ms}};
  }
  return out;
}

Result<Dataset> DatasetRegistry::add(Dataset d, const std::string& actor) {
  for (const auto& [name, value] : {std::pair<std::string, const std::string*>{"source", &d.source},
                                    {"licence", &d.licence},
                                    {"pi_basis", &d.pi_basis},
                                    {"consent", &d.consent},
                                    {"collected_on", &d.collected_on}}) {
    if (value->empty()) {
      return fail(ErrorCode::kInvalidArgument,
                  "dataset " + (d.source.empty() ? d.id : d.source) + ": missing " + name);
    }
  }
  if (d.id.empty()) d.id = records_.ids().next_uuid().to_string();
  d.registered_ms = unix_millis(records_.clock().now());
  audit::AuditEvent event;
  event.type = audit::EventType::kOperatorNote;
  event.actor = actor;
  event.subjects = {{"dataset", d.id}};
  event.details = {{"action", "compliance_dataset_registered"},
                   {"source", d.source},
                   {"licence", d.licence},
                   {"pi_basis", d.pi_basis}};
  if (auto index = records_.audit().append(std::move(event)); !index) {
    return tl::unexpected(index.error());
  }
  auto stored = records_.store().execute(
      "INSERT INTO governance_datasets (id, source, licence, pi_basis, consent, collected_on, "
      "registered_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {d.id, d.source, d.licence, d.pi_basis, d.consent, d.collected_on, d.registered_ms});
  if (!stored) return tl::unexpected(stored.error());
  return d;
}

Result<std::vector<Dataset>> DatasetRegistry::list() {
  auto rows = records_.store().query(std::string(kColumns) + "ORDER BY registered_ms, id");
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Dataset> out;
  for (const auto& row : rows->rows) {
    auto d = dataset_from(row);
    if (!d) return tl::unexpected(d.error());
    out.push_back(std::move(*d));
  }
  return out;
}

Result<Dataset> DatasetRegistry::get(const std::string& id) {
  auto rows = records_.store().query(std::string(kColumns) + "WHERE id = ?", {id});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return fail(ErrorCode::kNotFound, "no dataset " + id);
  return dataset_from(rows->rows[0]);
}

Result<Dataset> DatasetRegistry::record_check(const std::string& id, std::int64_t sampled,
                                              std::int64_t flagged, const std::string& actor) {
  if (sampled <= 0 || flagged < 0 || flagged > sampled) {
    return fail(ErrorCode::kInvalidArgument,
                "a sampling check needs 0 <= flagged <= sampled, "
                "sampled > 0");
  }
  auto d = get(id);
  if (!d) return tl::unexpected(d.error());
  const bool usable = corpus_usable(sampled, flagged);
  audit::AuditEvent event;
  event.type = audit::EventType::kOperatorNote;
  event.actor = actor;
  event.subjects = {{"dataset", id}};
  event.details = {{"action", "compliance_corpus_checked"},
                   {"sampled", std::to_string(sampled)},
                   {"flagged", std::to_string(flagged)},
                   {"usable", usable ? "true" : "false"}};
  if (auto index = records_.audit().append(std::move(event)); !index) {
    return tl::unexpected(index.error());
  }
  const std::int64_t now = unix_millis(records_.clock().now());
  auto stored = records_.store().execute(
      "UPDATE governance_datasets SET sampled = ?, flagged = ?, usable = ?, checked_ms = ? "
      "WHERE id = ?",
      {sampled, flagged, std::int64_t{usable ? 1 : 0}, now, id});
  if (!stored) return tl::unexpected(stored.error());
  d->sampled = sampled;
  d->flagged = flagged;
  d->usable = usable;
  d->checked_ms = now;
  return d;
}

}  // namespace synthgate::governance
