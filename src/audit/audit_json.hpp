#pragma once

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"

namespace synthgate::audit {

// The JSON shapes of the exact interfaces (docs/audit-log.md), shared by the command line
// and the HTTP API so the two cannot drift. Hashes are lowercase hex.

// {"index", "leaf" (base64 of the exact leaf bytes, null once purged), "leaf_hash", "time",
//  "time_ms", "type", "purged", then the decoded fields: "actor", "user_id", "content_id",
//  "subjects", "content_hashes", "labels", "details"}
nlohmann::json entry_json(const AuditEntry& entry);

// {"tree_size", "leaf_index", "leaf_hash", "root_hash", "inclusion_path": [...]}
nlohmann::json inclusion_json(const InclusionProof& proof);

// {"first", "second", "first_root", "second_root", "proof": [...]}
nlohmann::json consistency_json(const ConsistencyProof& proof);

// {"ok", "tree_size", "root_hash", "entries_checked", "payloads_checked", "purged",
//  "sequence_continuous", "checkpoints_checked", "checkpoint_chain_ok",
//  "latest_checkpoint_size", "unsigned_entries", "problems": [...]}
nlohmann::json verify_json(const VerifyReport& report);

}  // namespace synthgate::audit
