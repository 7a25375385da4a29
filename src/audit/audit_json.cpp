#include "audit/audit_json.hpp"

#include "audit/time_text.hpp"

namespace synthgate::audit {

namespace {
nlohmann::json hashes_json(const std::vector<Hash>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : hashes) out.push_back(hex_encode(h));
  return out;
}
}  // namespace

nlohmann::json entry_json(const AuditEntry& entry) {
  nlohmann::json out = {
      {"index", entry.index},
      {"leaf", entry.leaf ? nlohmann::json(base64_encode(*entry.leaf)) : nlohmann::json()},
      {"leaf_hash", hex_encode(entry.leaf_hash)},
      {"time", format_time(entry.time)},
      {"time_ms", unix_millis(entry.time)},
      {"type", entry.event_type},
      {"purged", entry.purged_at.has_value()},
  };
  if (entry.purged_at) out["purged_at"] = format_time(*entry.purged_at);
  if (entry.event) {
    const AuditEvent& e = *entry.event;
    out["actor"] = e.actor;
    out["user_id"] = e.user_id ? nlohmann::json(*e.user_id) : nlohmann::json();
    out["content_id"] = e.content_id ? nlohmann::json(*e.content_id) : nlohmann::json();
    out["subjects"] = e.subjects;
    out["content_hashes"] = e.content_hashes;
    out["labels"] = e.labels;
    out["details"] = e.details;
  }
  return out;
}

nlohmann::json inclusion_json(const InclusionProof& proof) {
  return {{"tree_size", proof.tree_size},
          {"leaf_index", proof.leaf_index},
          {"leaf_hash", hex_encode(proof.leaf_hash)},
          {"root_hash", hex_encode(proof.root)},
          {"inclusion_path", hashes_json(proof.path)}};
}

nlohmann::json consistency_json(const ConsistencyProof& proof) {
  return {{"first", proof.first},
          {"second", proof.second},
          {"first_root", hex_encode(proof.first_root)},
          {"second_root", hex_encode(proof.second_root)},
          {"proof", hashes_json(proof.proof)}};
}

nlohmann::json verify_json(const VerifyReport& report) {
  return {{"ok", report.ok},
          {"tree_size", report.tree_size},
          {"root_hash", hex_encode(report.root)},
          {"entries_checked", report.entries_checked},
          {"payloads_checked", report.payloads_checked},
          {"purged", report.purged},
          {"sequence_continuous", report.sequence_continuous},
          {"checkpoints_checked", report.checkpoints_checked},
          {"checkpoint_chain_ok", report.checkpoint_chain_ok},
          {"latest_checkpoint_size", report.latest_checkpoint_size},
          {"unsigned_entries", report.tree_size - report.latest_checkpoint_size},
          {"problems", report.problems}};
}

}  // namespace synthgate::audit
