#include "server/audit_routes.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "audit/audit_schema.hpp"
#include "server/api_key_registry.hpp"
#include "server/key_authenticator.hpp"
#include "store/migration.hpp"
#include "support/fixed_random.hpp"
#include "support/server_harness.hpp"
#include "support/test_backends.hpp"

namespace synthgate::server {
namespace {

using nlohmann::json;

audit::Hash from_hex(const json& value) {
  auto bytes = hex_decode(value.get<std::string>());
  audit::Hash out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

class AuditRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = db_.open(db_.url());
    ASSERT_NE(store_, nullptr);
    const std::vector<store::MigrationSet> sets = {audit::audit_migrations(), api_key_migrations()};
    ASSERT_TRUE(store::migrate(*store_, sets, clock_));
    AuditConfig config;
    config.checkpoint_every_entries = 5;
    log_ = std::make_unique<audit::AuditLog>(*store_, config, clock_, &key_);
  }

  // The routes behind API keys, as `serve` has them.
  void start() {
    keys_ = std::make_unique<ApiKeyRegistry>(*store_, *log_, clock_, secure_);
    authenticator_ = std::make_unique<KeyAuthenticator>(*keys_, clock_);
    harness_.server().set_authenticator(
        [this](const httplib::Request& req, const RouteAccess& access, httplib::Headers& h) {
          return authenticator_->authenticate(req, access, h);
        });
    add_audit_routes(harness_.server(), *log_);
    harness_.start();
  }

  httplib::Headers key_of(Role role) {
    NewApiKey request;
    request.role = role;
    auto created = keys_->create(request);
    EXPECT_TRUE(created) << created.error().message;
    return {{"Authorization", "Bearer " + (created ? created->token : "")}};
  }

  void append(int n) {
    for (int i = 0; i < n; ++i) {
      audit::AuditEvent e;
      e.type = i % 2 ? audit::EventType::kModerationDecided : audit::EventType::kOperatorNote;
      e.actor = "tester";
      e.user_id = "u" + std::to_string(i % 3);
      ASSERT_TRUE(log_->append(e));
    }
  }

  testing::TestDatabase db_{"sqlite"};
  std::unique_ptr<store::Store> store_;
  ManualClock clock_{TimePoint(std::chrono::seconds(1767225600))};
  testing::FixedRandom random_{5};
  SecureRandom secure_;
  Ed25519SigningKey key_ = Ed25519SigningKey::generate(random_);
  std::unique_ptr<audit::AuditLog> log_;
  std::unique_ptr<ApiKeyRegistry> keys_;
  std::unique_ptr<KeyAuthenticator> authenticator_;
  testing::ServerHarness harness_;
};

TEST_F(AuditRoutesTest, CheckpointIsTheSignedNote) {
  start();
  auto client = harness_.client();
  auto none = client.Get("/v1/audit/checkpoint");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_EQ(json::parse(none->body)["error"]["code"], "not_found");
  append(7);
  auto res = client.Get("/v1/audit/checkpoint");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  auto opened = audit::open_checkpoint(res->body, *log_->own_verifier_key());
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->tree_size, 5u);
}

TEST_F(AuditRoutesTest, ProofsVerifyAgainstTheCheckpoint) {
  start();
  append(12);
  auto client = harness_.client();
  auto res = client.Get("/v1/audit/proofs/inclusion?index=3");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json proof = json::parse(res->body);
  EXPECT_EQ(proof["tree_size"], 10);
  std::vector<audit::Hash> path;
  for (const auto& h : proof["inclusion_path"]) path.push_back(from_hex(h));
  auto cp = audit::open_checkpoint((*log_->latest_checkpoint())->note, *log_->own_verifier_key());
  EXPECT_TRUE(audit::verify_inclusion(from_hex(proof["leaf_hash"]), 3, 10, path, cp->root));

  res = client.Get("/v1/audit/proofs/consistency?first=5&second=12");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  const json cons = json::parse(res->body);
  std::vector<audit::Hash> hashes;
  for (const auto& h : cons["proof"]) hashes.push_back(from_hex(h));
  EXPECT_TRUE(audit::verify_consistency(5, 12, from_hex(cons["first_root"]),
                                        from_hex(cons["second_root"]), hashes));

  for (const char* bad : {"/v1/audit/proofs/inclusion", "/v1/audit/proofs/inclusion?index=x",
                          "/v1/audit/proofs/inclusion?index=12&size=12",
                          "/v1/audit/proofs/consistency?first=9&second=99"}) {
    res = client.Get(bad);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << bad;
  }
}

TEST_F(AuditRoutesTest, EntriesAreForAuditReaders) {
  start();
  auto client = harness_.client();
  auto res = client.Get("/v1/audit/entries");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "unauthenticated");
  res = client.Get("/v1/audit/entries", {{"Authorization", "Bearer wrong"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  res = client.Get("/v1/audit/entries", key_of(Role::kService));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "permission_denied");
  for (Role reader : {Role::kRegulatorReadonly, Role::kComplianceOfficer}) {
    res = client.Get("/v1/audit/entries", key_of(reader));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << role_name(reader) << " " << res->body;
  }
}

TEST_F(AuditRoutesTest, EntriesFilterAndPage) {
  start();
  const httplib::Headers auth = key_of(Role::kAuditor);
  // Creating the key was itself an audit entry (configuration_changed, index 0).
  append(6);
  auto client = harness_.client();
  auto res = client.Get("/v1/audit/entries?user_id=u1&limit=1", auth);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json body = json::parse(res->body);
  ASSERT_EQ(body["entries"].size(), 1u);
  EXPECT_EQ(body["entries"][0]["index"], 2);
  EXPECT_EQ(body["entries"][0]["user_id"], "u1");
  EXPECT_EQ(body["next_start"], 3);
  res = client.Get("/v1/audit/entries?user_id=u1&start=3", auth);
  body = json::parse(res->body);
  ASSERT_EQ(body["entries"].size(), 1u);
  EXPECT_EQ(body["entries"][0]["index"], 5);
  EXPECT_TRUE(body["next_start"].is_null());
  res = client.Get("/v1/audit/entries?type=moderation_decided", auth);
  EXPECT_EQ(json::parse(res->body)["entries"].size(), 3u);
  res = client.Get("/v1/audit/entries?type=configuration_changed", auth);
  body = json::parse(res->body);
  ASSERT_EQ(body["entries"].size(), 1u);
  EXPECT_EQ(body["entries"][0]["details"]["change"], "api_key_created");
  const auto leaf = base64_decode(json::parse(res->body)["entries"][0]["leaf"].get<std::string>());
  EXPECT_TRUE(audit::decode_leaf(*leaf));
  res = client.Get("/v1/audit/entries?from=yesterday", auth);
  EXPECT_EQ(res->status, 400);
}

}  // namespace
}  // namespace synthgate::server
