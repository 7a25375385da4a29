#include "server/api_key_registry.hpp"

#include <gtest/gtest.h>

#include "audit/audit_schema.hpp"
#include "core/digest.hpp"
#include "store/migration.hpp"
#include "support/backend_test.hpp"
#include "support/fixed_random.hpp"

namespace synthgate::server {
namespace {

using namespace std::chrono_literals;

class ApiKeyRegistryTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const std::vector<store::MigrationSet> sets = {audit::audit_migrations(), api_key_migrations()};
    auto migrated = store::migrate(store(), sets, clock_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    audit_ = std::make_unique<audit::AuditLog>(store(), AuditConfig{}, clock_, &signer_);
    keys_ = std::make_unique<ApiKeyRegistry>(store(), *audit_, clock_, secure_);
  }

  CreatedKey create(Role role, std::optional<std::string> user = std::nullopt) {
    NewApiKey request;
    request.role = role;
    request.user_id = std::move(user);
    request.name = "test key";
    request.actor = "tester";
    auto created = keys_->create(request);
    EXPECT_TRUE(created) << created.error().message;
    return created ? *created : CreatedKey{};
  }

  std::size_t audit_count(audit::EventType type) {
    audit::EntryFilter filter;
    filter.type = type;
    filter.limit = 1000;
    auto entries = audit_->entries(filter);
    EXPECT_TRUE(entries) << entries.error().message;
    return entries ? entries->size() : 0;
  }

  ManualClock clock_{TimePoint(std::chrono::seconds(1795838400))};
  testing::FixedRandom fixed_{7};
  SecureRandom secure_;
  Ed25519SigningKey signer_ = Ed25519SigningKey::generate(fixed_);
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<ApiKeyRegistry> keys_;
};

TEST_P(ApiKeyRegistryTest, TokenHasThePromisedShapeAndAuthenticates) {
  const auto created = create(Role::kService, "user-42");
  ASSERT_EQ(created.token.size(), 3 + 16 + 1 + 64);
  EXPECT_EQ(created.token.substr(0, 3), "sg_");
  EXPECT_EQ(created.token.substr(3, 16), created.key.id);
  EXPECT_EQ(created.token[19], '_');
  auto key = keys_->authenticate(created.token);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->id, created.key.id);
  EXPECT_EQ(key->role, Role::kService);
  EXPECT_EQ(key->user_id, "user-42");
}

TEST_P(ApiKeyRegistryTest, OnlyTheSecretsDigestIsStored) {
  const auto created = create(Role::kAuditor);
  const std::string secret = created.token.substr(20);
  auto rows = store().query("SELECT * FROM api_keys");
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  bool digest_found = false;
  for (std::size_t i = 0; i < rows->rows[0].size(); ++i) {
    auto text = rows->rows[0].text(i);
    if (!text) continue;
    EXPECT_EQ(text->find(secret), std::string::npos) << rows->columns[i];
    EXPECT_EQ(text->find(created.token), std::string::npos) << rows->columns[i];
    if (*text == hex_encode(sha256(as_bytes(secret)))) digest_found = true;
  }
  EXPECT_TRUE(digest_found);
}

TEST_P(ApiKeyRegistryTest, WrongSecretsAndMalformedTokensAreRefused) {
  const auto created = create(Role::kService);
  std::string wrong = created.token;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  for (const std::string& token :
       {wrong, std::string("sg_"), std::string("nonsense"), created.token + "0",
        "sg_" + std::string(16, '0') + "_" + std::string(64, '0'), created.token.substr(1)}) {
    auto key = keys_->authenticate(token);
    ASSERT_FALSE(key) << token;
    EXPECT_EQ(key.error().code, ErrorCode::kUnauthenticated) << token;
  }
}

TEST_P(ApiKeyRegistryTest, RevocationTakesEffectAtOnceAndIsAudited) {
  const auto created = create(Role::kComplianceOfficer);
  ASSERT_TRUE(keys_->authenticate(created.token));  // now cached
  auto revoked = keys_->revoke(created.key.id, "tester");
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_TRUE(revoked->revoked_ms);
  auto key = keys_->authenticate(created.token);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(keys_->revoke(created.key.id, "tester").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(keys_->revoke("0123456789abcdef", "tester").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(audit_count(audit::EventType::kConfigurationChanged), 2u);
}

TEST_P(ApiKeyRegistryTest, AnotherProcessSeesARevocationAfterTheCacheLifetime) {
  const auto created = create(Role::kService);
  auto other_store = open_again();
  ApiKeyRegistry other(*other_store, *audit_, clock_, secure_, 10s);
  ASSERT_TRUE(other.authenticate(created.token));
  ASSERT_TRUE(keys_->revoke(created.key.id, "tester"));
  EXPECT_TRUE(other.authenticate(created.token));  // cached in the other process
  clock_.advance(11s);
  EXPECT_FALSE(other.authenticate(created.token));
}

TEST_P(ApiKeyRegistryTest, ListShowsEveryKeyAndCreationIsValidated) {
  EXPECT_TRUE(*keys_->none_yet());
  create(Role::kService);
  create(Role::kRegulatorReadonly);
  EXPECT_FALSE(*keys_->none_yet());
  auto list = keys_->list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  NewApiKey bad;
  bad.role = Role::kPublic;
  EXPECT_EQ(keys_->create(bad).error().code, ErrorCode::kInvalidArgument);
  bad.role = Role::kService;
  bad.rate.per_second = -1;
  EXPECT_EQ(keys_->create(bad).error().code, ErrorCode::kInvalidArgument);
  NewApiKey limited;
  limited.role = Role::kService;
  limited.rate.per_second = 2.5;
  auto created = keys_->create(limited);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->key.rate.burst, 3u);  // at least the rate, rounded up
  auto read = keys_->get(created->key.id);
  ASSERT_TRUE(read);
  EXPECT_DOUBLE_EQ(read->rate.per_second, 2.5);
  EXPECT_EQ(read->rate.burst, 3u);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(ApiKeyRegistryTest);

}  // namespace
}  // namespace synthgate::server
