#pragma once

#include "store/migration.hpp"

namespace synthgate::audit {

// The audit module's tables: audit_sequence (the one counter every appender takes its
// index from), audit_entries, audit_nodes (hashes of complete subtrees, level >= 1) and
// audit_checkpoints.
const store::MigrationSet& audit_migrations();

}  // namespace synthgate::audit
