#include "server/complaint_desk.hpp"

#include "audit/time_text.hpp"
#include "core/encoding.hpp"

namespace synthgate::server {

namespace {

using nlohmann::json;

std::string time_text(std::int64_t ms) {
  return audit::format_time(TimePoint(std::chrono::milliseconds(ms)));
}

void put_time(json& out, const char* key, const std::optional<std::int64_t>& ms) {
  if (ms) out[key] = time_text(*ms);
}

std::string hex_hash(const audit::Hash& h) {
  return hex_encode(ByteView(h.data(), h.size()));
}

}  // namespace

json complaint_public_json(const complaints::Complaint& c) {
  json out{{"tracking_code", c.tracking_code},
           {"state", complaints::state_name(c.state)},
           {"category", c.category},
           {"received_at", time_text(c.received_ms)}};
  put_time(out, "acknowledged_at", c.acknowledged_ms);
  put_time(out, "resolved_at", c.resolved_ms);
  put_time(out, "closed_at", c.closed_ms);
  if (!c.outcome.empty()) out["outcome"] = c.outcome;
  return out;
}

json complaint_staff_json(const complaints::Complaint& c, const complaints::ComplaintLimits& limits,
                          std::int64_t now_ms) {
  json out = complaint_public_json(c);
  out["id"] = c.id;
  out["description"] = c.description;
  out["url"] = c.url;
  out["has_contact"] = c.has_contact;
  if (!c.contact.empty()) out["contact"] = c.contact;  // only once opened from the vault
  out["assignee"] = c.assignee;
  out["duplicates"] = c.duplicates;
  out["audit_index"] = c.audit_index;
  out["acknowledge_by"] = time_text(limits.acknowledge_deadline_ms(c));
  out["resolve_by"] = time_text(limits.resolve_deadline_ms(c));
  const auto breached = limits.breached(c, now_ms);
  out["overdue"] = breached.has_value() || (c.escalated_ms && !complaints::is_decided(c.state));
  if (breached) out["breached_limit"] = *breached;
  put_time(out, "escalated_at", c.escalated_ms);
  json attachment = json::object();
  if (c.attachment_sha256) attachment["sha256"] = *c.attachment_sha256;
  if (c.attachment_type) attachment["type"] = *c.attachment_type;
  if (c.attachment_pdq) attachment["pdq"] = *c.attachment_pdq;
  if (!attachment.empty()) out["attachment"] = attachment;
  json traced = json::object();
  if (c.content_id) traced["content_id"] = *c.content_id;
  if (c.admission_id) traced["admission_id"] = *c.admission_id;
  if (c.user_id) traced["user_id"] = *c.user_id;
  if (!traced.empty()) out["traced"] = traced;
  return out;
}

json complaint_event_json(const complaints::ComplaintEvent& e) {
  json out{{"kind", e.kind},
           {"actor", e.actor},
           {"from", e.from_state},
           {"to", e.to_state},
           {"text", e.text},
           {"at", time_text(e.created_ms)},
           {"audit_index", e.audit_index}};
  auto details = json::parse(e.details, nullptr, false);
  if (!details.is_discarded() && !details.empty()) out["details"] = details;
  return out;
}

Result<complaints::ComplaintEvent> ComplaintDesk::take_down(std::string_view id,
                                                            std::string_view reason,
                                                            std::string_view actor) {
  auto c = complaints_.get(id);
  if (!c) return tl::unexpected(c.error());
  if (!c->content_id) {
    return fail(ErrorCode::kFailedPrecondition,
                "the complaint is not traced to a content record: nothing to take down");
  }
  auto content = contents_.content(*c->content_id);
  if (!content) return tl::unexpected(content.error());
  if (content->revoked_ms) {
    return fail(ErrorCode::kFailedPrecondition,
                "content " + content->id + " is already taken down");
  }
  const auto pdq = content->pdq ? content->pdq : c->attachment_pdq;
  std::optional<moderation::PdqHash> hash;
  if (pdq) {
    auto parsed = moderation::PdqHash::from_hex(*pdq);
    if (!parsed) return tl::unexpected(parsed.error());
    hash = *parsed;
  }
  complaints::ComplaintAction action{
      "takedown", "content " + content->id + " taken down", {{"content", content->id}}};
  if (pdq) action.details["pdq"] = *pdq;
  if (!reason.empty()) action.summary += ": " + std::string(reason);
  const std::string why = reason.empty() ? "complaint " + c->tracking_code : std::string(reason);
  return complaints_.record_action(id, action, actor, [&]() -> Status {
    const std::int64_t now = unix_millis(clock_.now());
    if (auto revoked = contents_.revoke_content(content->id, now, why); !revoked) return revoked;
    if (hash) {
      return blocklist_.add(*hash, "complaint " + c->tracking_code, std::string(actor), now);
    }
    return {};
  });
}

Result<complaints::ComplaintEvent> ComplaintDesk::suspend_user(std::string_view id,
                                                               std::string_view reason,
                                                               std::string_view actor) {
  auto c = complaints_.get(id);
  if (!c) return tl::unexpected(c.error());
  if (!c->user_id) {
    return fail(ErrorCode::kFailedPrecondition, "the complaint is not traced to a user");
  }
  const std::string why = reason.empty() ? "complaint " + c->tracking_code : std::string(reason);
  return complaints_.record_action(
      id, {"suspend_user", "user " + *c->user_id + " suspended", {{"user", *c->user_id}}}, actor,
      [&]() -> Status {
        auto suspended = users_.suspend(*c->user_id, why, actor);
        if (!suspended) return tl::unexpected(suspended.error());
        return {};
      });
}

Result<complaints::ComplaintEvent> ComplaintDesk::correct_label(std::string_view id,
                                                                std::string_view decision,
                                                                std::string_view actor) {
  if (decision.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "a label correction needs the decision (what the label should say)");
  }
  auto c = complaints_.get(id);
  if (!c) return tl::unexpected(c.error());
  complaints::ComplaintAction action{"correct_label", std::string(decision), {}};
  if (c->content_id) action.details["content"] = *c->content_id;
  return complaints_.record_action(id, action, actor, {});
}

Result<json> ComplaintDesk::authorities_package(std::string_view id, std::string_view actor) {
  auto c = complaints_.get(id);
  if (!c) return tl::unexpected(c.error());
  auto recorded = complaints_.record_action(
      id, {"report_to_authorities", "package prepared for the authorities", {}}, actor, {});
  if (!recorded) return tl::unexpected(recorded.error());
  auto events = complaints_.events(id);
  if (!events) return tl::unexpected(events.error());
  std::vector<std::uint64_t> indexes;
  json event_list = json::array();
  for (const auto& e : *events) {
    event_list.push_back(complaint_event_json(e));
    indexes.push_back(e.audit_index);
  }
  json case_json = complaint_public_json(*c);
  case_json["id"] = c->id;
  case_json["description"] = c->description;
  case_json["url"] = c->url;
  if (c->attachment_sha256) case_json["attachment_sha256"] = *c->attachment_sha256;
  json out{{"complaint", case_json}, {"events", event_list}};
  if (c->content_id) {
    auto content = contents_.content(*c->content_id);
    if (content) {
      json record{{"content_id", content->id},
                  {"admission_id", content->admission_id},
                  {"user_id", content->user_id},
                  {"modality", content->modality},
                  {"format", content->format},
                  {"output_sha256", content->output_sha256},
                  {"created_at", time_text(content->created_ms)},
                  {"audit_index", content->audit_index}};
      if (content->revoked_ms) record["revoked_at"] = time_text(*content->revoked_ms);
      out["content"] = record;
      indexes.push_back(content->audit_index);
    }
  }
  // Proofs against a checkpoint the authorities can check the log's signed tree with.
  auto checkpoint = audit_.publish_checkpoint();
  if (!checkpoint) return tl::unexpected(checkpoint.error());
  json proofs = json::array();
  for (std::uint64_t index : indexes) {
    auto proof = audit_.prove_inclusion(index, checkpoint->tree_size);
    if (!proof) return tl::unexpected(proof.error());
    json path = json::array();
    for (const auto& h : proof->path) path.push_back(hex_hash(h));
    proofs.push_back({{"leaf_index", proof->leaf_index},
                      {"tree_size", proof->tree_size},
                      {"leaf_hash", hex_hash(proof->leaf_hash)},
                      {"root", hex_hash(proof->root)},
                      {"path", path}});
  }
  out["audit"] = {{"checkpoint", checkpoint->note},
                  {"tree_size", checkpoint->tree_size},
                  {"inclusion_proofs", proofs}};
  out["prepared_at"] = time_text(unix_millis(clock_.now()));
  return out;
}

}  // namespace synthgate::server
