#include "server/key_authenticator.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include <nlohmann/json.hpp>

#include "audit/audit_schema.hpp"
#include "core/digest.hpp"
#include "server/api_response.hpp"
#include "store/migration.hpp"
#include "support/fixed_random.hpp"
#include "support/server_harness.hpp"
#include "support/test_backends.hpp"

namespace synthgate::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// A gateway with one public route, one route for service keys and one small-bodied route,
// behind KeyAuthenticator with a driven clock.
class KeyAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = db_.open(db_.url());
    ASSERT_NE(store_, nullptr);
    const std::vector<store::MigrationSet> sets = {audit::audit_migrations(), api_key_migrations()};
    ASSERT_TRUE(store::migrate(*store_, sets, clock_));
    log_ = std::make_unique<audit::AuditLog>(*store_, AuditConfig{}, clock_, &signer_);
    keys_ = std::make_unique<ApiKeyRegistry>(*store_, *log_, clock_, secure_);
    authenticator_ =
        std::make_unique<KeyAuthenticator>(*keys_, clock_, hex_encode(sha256(as_bytes("legacy"))));
    auto& server = harness_.server();
    server.set_authenticator(
        [this](const httplib::Request& req, const RouteAccess& access, httplib::Headers& h) {
          return authenticator_->authenticate(req, access, h);
        });
    const auto echo = [this](const httplib::Request&, httplib::Response& res,
                             const Principal& who) {
      ++calls_;
      write_json(res, 200,
                 {{"key", who.key_id},
                  {"role", role_name(who.role)},
                  {"user", who.user_id ? json(*who.user_id) : json(nullptr)}});
    };
    server.add_route("get", "/public", RouteAccess{}, echo);
    server.add_route("get", "/service", RouteAccess{{Role::kService}, 0}, echo);
    server.add_route("get", "/audit", RouteAccess{{Role::kAuditor}, 0}, echo);
    server.add_route("post", "/small", RouteAccess{{Role::kService}, 1024}, echo);
    harness_.start();
  }

  std::string token(Role role, KeyRate rate = {}, std::optional<std::string> user = {}) {
    NewApiKey request;
    request.role = role;
    request.rate = rate;
    request.user_id = std::move(user);
    auto created = keys_->create(request);
    EXPECT_TRUE(created) << created.error().message;
    return created ? created->token : "";
  }

  httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) {
    auto client = harness_.client();
    return client.Get(path, headers);
  }
  static httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }
  static std::string code(const httplib::Result& res) {
    return json::parse(res->body)["error"]["code"].get<std::string>();
  }

  testing::TestDatabase db_{"sqlite"};
  std::unique_ptr<store::Store> store_;
  ManualClock clock_{TimePoint(std::chrono::seconds(1795838400))};
  testing::FixedRandom fixed_{3};
  SecureRandom secure_;
  Ed25519SigningKey signer_ = Ed25519SigningKey::generate(fixed_);
  std::unique_ptr<audit::AuditLog> log_;
  std::unique_ptr<ApiKeyRegistry> keys_;
  std::unique_ptr<KeyAuthenticator> authenticator_;
  std::atomic<int> calls_{0};
  testing::ServerHarness harness_;
};

TEST_F(KeyAuthenticatorTest, PublicRoutesNeedNoKey) {
  auto res = get("/public");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(json::parse(res->body)["role"], "public");
}

TEST_F(KeyAuthenticatorTest, NoKeyOrAnUnknownOneIs401) {
  for (const auto& headers : {httplib::Headers{}, bearer("sg_nonsense"), bearer("x"),
                              httplib::Headers{{"Authorization", "Basic abc"}}}) {
    auto res = get("/service", headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(code(res), "unauthenticated");
  }
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(KeyAuthenticatorTest, TheKeysRoleAndUserReachTheHandler) {
  const std::string key = token(Role::kService, {}, "user-7");
  for (const auto& headers : {bearer(key), httplib::Headers{{"X-API-Key", key}}}) {
    auto res = get("/service", headers);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    const json body = json::parse(res->body);
    EXPECT_EQ(body["role"], "service");
    EXPECT_EQ(body["key"], key.substr(3, 16));
    EXPECT_EQ(body["user"], "user-7");
  }
}

TEST_F(KeyAuthenticatorTest, AKeyOfAnotherRoleIs403) {
  auto res = get("/audit", bearer(token(Role::kService)));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(code(res), "permission_denied");
  // Roles do not nest: a compliance officer is not an auditor unless a route says so.
  res = get("/audit", bearer(token(Role::kComplianceOfficer)));
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(calls_.load(), 0);
}

TEST_F(KeyAuthenticatorTest, ARevokedKeyIs401AtOnce) {
  const std::string key = token(Role::kService);
  EXPECT_EQ(get("/service", bearer(key))->status, 200);
  ASSERT_TRUE(keys_->revoke(key.substr(3, 16), "tester"));
  auto res = get("/service", bearer(key));
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(code(res), "unauthenticated");
}

TEST_F(KeyAuthenticatorTest, OverItsRateAKeyGets429WithRetryAfterUntilItRefills) {
  const std::string key = token(Role::kService, {1, 2});
  EXPECT_EQ(get("/service", bearer(key))->status, 200);
  EXPECT_EQ(get("/service", bearer(key))->status, 200);
  auto res = get("/service", bearer(key));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(code(res), "resource_exhausted");
  EXPECT_EQ(res->get_header_value("Retry-After"), "1");
  // Another key has its own bucket.
  EXPECT_EQ(get("/service", bearer(token(Role::kService, {1, 1})))->status, 200);
  clock_.advance(1s);
  EXPECT_EQ(get("/service", bearer(key))->status, 200);
  EXPECT_EQ(get("/service", bearer(key))->status, 429);
  EXPECT_EQ(calls_.load(), 4);
}

TEST_F(KeyAuthenticatorTest, TheLegacyAuditorTokenIsAnAuditor) {
  auto res = get("/audit", bearer("legacy"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(get("/service", bearer("legacy"))->status, 403);
  EXPECT_EQ(get("/audit", bearer("legacy2"))->status, 401);
}

TEST_F(KeyAuthenticatorTest, ABodyOverTheRoutesLimitIs413) {
  const std::string key = token(Role::kService);
  auto client = harness_.client();
  auto res = client.Post("/small", bearer(key), std::string(2000, 'x'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(code(res), "payload_too_large");
  res = client.Post("/small", bearer(key), std::string(1000, 'x'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(calls_.load(), 1);
}

// The refusal comes from Content-Length alone: the server answers without waiting for a
// body that is never sent (were it read first, the read would block until its timeout).
TEST_F(KeyAuthenticatorTest, ABodyOverTheLimitIsRefusedBeforeItIsRead) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(harness_.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  timeval timeout{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const std::string request =
      "POST /small HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  char buffer[512] = {};
  const ssize_t got = ::recv(fd, buffer, sizeof buffer - 1, 0);
  ::close(fd);
  ASSERT_GT(got, 0) << "no answer before the body";
  EXPECT_TRUE(std::string(buffer).starts_with("HTTP/1.1 413")) << buffer;
  EXPECT_EQ(calls_.load(), 0);
}

}  // namespace
}  // namespace synthgate::server
