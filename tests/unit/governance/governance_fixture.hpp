#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "audit/audit_schema.hpp"
#include "core/ids.hpp"
#include "core/secure_random.hpp"
#include "governance/governance_records.hpp"
#include "store/migration.hpp"
#include "support/backend_test.hpp"
#include "support/fixed_random.hpp"

namespace synthgate::governance {

// 2026-11-28 04:00 UTC.
inline const TimePoint kNow = TimePoint(std::chrono::milliseconds(1795838400000));

inline std::string sample_inventory_text() {
  std::ifstream in(std::string(SYNTHGATE_GOVERNANCE_TEST_DATA) + "/sample-inventory.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The audit log and the governance records on a fresh database of the backend under test;
// `extra` migrations (identity, pipeline) for the tests that read those records.
class GovernanceTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    std::vector<store::MigrationSet> sets = {audit::audit_migrations(), governance_migrations()};
    for (const auto& s : extra_migrations()) sets.push_back(s);
    auto migrated = store::migrate(store(), sets, clock_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    audit_ = std::make_unique<audit::AuditLog>(store(), AuditConfig{}, clock_, &signer_);
    records_ = std::make_unique<GovernanceRecords>(store(), *audit_, clock_, ids_);
  }

  virtual std::vector<store::MigrationSet> extra_migrations() { return {}; }

  Inventory sample() {
    auto inventory = parse_inventory_text(sample_inventory_text());
    EXPECT_TRUE(inventory) << inventory.error().message;
    return inventory ? *inventory : Inventory{};
  }

  std::vector<audit::AuditEntry> notes() {
    audit::EntryFilter filter;
    filter.type = audit::EventType::kOperatorNote;
    auto entries = audit_->entries(filter);
    EXPECT_TRUE(entries) << entries.error().message;
    return entries ? *entries : std::vector<audit::AuditEntry>{};
  }

  ManualClock clock_{kNow};
  synthgate::testing::FixedRandom random_{-1};
  SecureRandom secure_;
  Ed25519SigningKey signer_ = Ed25519SigningKey::generate(random_);
  IdGenerator ids_{clock_, secure_};
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<GovernanceRecords> records_;
};

}  // namespace synthgate::governance
