#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "audit/audit_schema.hpp"
#include "consent/consent_registry.hpp"
#include "core/ids.hpp"
#include "identity/manual_review_provider.hpp"
#include "identity/personal_data_vault.hpp"
#include "identity/sms_code_provider.hpp"
#include "identity/user_registry.hpp"
#include "store/migration.hpp"
#include "support/backend_test.hpp"
#include "support/fixed_random.hpp"

namespace synthgate::identity {

// 2026-11-28 04:00 UTC (12:00 in China).
inline const TimePoint kNow = TimePoint(std::chrono::milliseconds(1795838400000));

// Keeps every message instead of sending it.
class RecordingSmsSender final : public SmsSender {
 public:
  Status send(std::string_view phone, std::string_view text) override {
    if (fail_next) {
      fail_next = false;
      return fail(ErrorCode::kUnavailable, "SMS gateway down");
    }
    sent.push_back({std::string(phone), std::string(text)});
    return {};
  }
  // The six-digit code of the last message.
  std::string last_code() const {
    return sent.empty() ? "" : sent.back().second.substr(sent.back().second.size() - 6);
  }
  std::vector<std::pair<std::string, std::string>> sent;
  bool fail_next = false;
};

// A vault, users and consents on a fresh database of the backend under test.
class IdentityTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const std::vector<store::MigrationSet> sets = {audit::audit_migrations(), vault_migrations(),
                                                   identity_migrations(),
                                                   consent::consent_migrations()};
    auto migrated = store::migrate(store(), sets, clock_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    audit_ = std::make_unique<audit::AuditLog>(store(), AuditConfig{}, clock_, &signer_);
    vault_ = make_vault(kek(1), {});
    ASSERT_TRUE(vault_->open());
    users_ = std::make_unique<UserRegistry>(store(), *audit_, *vault_, clock_, ids_, options_);
    users_->add_provider(sms_);
    users_->add_provider(manual_);
    consents_ = std::make_unique<consent::ConsentRegistry>(store(), *audit_, *vault_, clock_, ids_);
  }

  static SecretBytes kek(std::uint8_t fill) {
    return SecretBytes(std::vector<std::uint8_t>(32, fill));
  }

  std::unique_ptr<PersonalDataVault> make_vault(SecretBytes current,
                                                std::vector<SecretBytes> previous) {
    return std::make_unique<PersonalDataVault>(
        store(), *audit_, VaultKeys{std::move(current), std::move(previous)}, random_);
  }

  // Audit entries of one type.
  std::size_t audit_count(audit::EventType type) {
    audit::EntryFilter filter;
    filter.type = type;
    filter.limit = 1000;
    auto entries = audit_->entries(filter);
    EXPECT_TRUE(entries) << entries.error().message;
    return entries ? entries->size() : 0;
  }

  ManualClock clock_{kNow};
  testing::FixedRandom random_{-1};
  SecureRandom secure_;
  Ed25519SigningKey signer_ = Ed25519SigningKey::generate(random_);
  IdGenerator ids_{clock_, secure_};
  RegistryOptions options_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<PersonalDataVault> vault_;
  RecordingSmsSender sender_;
  SmsCodeProvider sms_{sender_, secure_, SecretBytes(std::vector<std::uint8_t>(32, 0x42))};
  ManualReviewProvider manual_;
  std::unique_ptr<UserRegistry> users_;
  std::unique_ptr<consent::ConsentRegistry> consents_;
};

}  // namespace synthgate::identity
