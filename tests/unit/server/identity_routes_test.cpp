#include "server/identity_routes.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/api_key_registry.hpp"
#include "server/key_authenticator.hpp"
#include "support/server_harness.hpp"
#include "unit/identity/identity_fixture.hpp"

namespace synthgate::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The routes over real HTTP behind API keys, on both backends.
class IdentityRoutesTest : public identity::IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const std::vector<store::MigrationSet> sets = {api_key_migrations()};
    ASSERT_TRUE(store::migrate(store(), sets, clock_));
    keys_ = std::make_unique<ApiKeyRegistry>(store(), *audit_, clock_, secure_);
    authenticator_ = std::make_unique<KeyAuthenticator>(*keys_, clock_);
    harness_.server().set_authenticator(
        [this](const httplib::Request& req, const RouteAccess& access, httplib::Headers& h) {
          return authenticator_->authenticate(req, access, h);
        });
    service_key_ = token_of(Role::kService);
    compliance_key_ = token_of(Role::kComplianceOfficer);
    add_identity_routes(harness_.server(), *users_);
    add_consent_routes(harness_.server(), *consents_);
    harness_.start();
  }

  std::string token_of(Role role) {
    NewApiKey request;
    request.role = role;
    auto created = keys_->create(request);
    EXPECT_TRUE(created) << created.error().message;
    return created ? created->token : "";
  }

  // `token`: the key to send; the service key when not given, none when empty.
  std::pair<int, json> post(const std::string& path, const json& body,
                            std::optional<std::string> token = std::nullopt) {
    auto client = harness_.client();
    httplib::Headers headers;
    const std::string key = token.value_or(service_key_);
    if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
    auto res = client.Post(path, headers, body.dump(), "application/json");
    EXPECT_TRUE(res) << path;
    if (!res) return {0, {}};
    return {res->status, json::parse(res->body, nullptr, false)};
  }

  std::pair<int, json> get(const std::string& path) {
    auto client = harness_.client();
    auto res = client.Get(path, {{"X-API-Key", service_key_}});
    EXPECT_TRUE(res) << path;
    if (!res) return {0, {}};
    return {res->status, json::parse(res->body, nullptr, false)};
  }

  std::string create_user() {
    auto [status, user] =
        post("/v1/users",
             {{"name", "张三"}, {"id_number", "11010519491231002X"}, {"phone", "13800138000"}});
    EXPECT_EQ(status, 201) << user.dump();
    EXPECT_FALSE(user.dump().find("13800138000") != std::string::npos);
    return user.value("id", "");
  }

  std::unique_ptr<ApiKeyRegistry> keys_;
  std::unique_ptr<KeyAuthenticator> authenticator_;
  std::string service_key_;
  std::string compliance_key_;
  testing::ServerHarness harness_;
};

TEST_P(IdentityRoutesTest, OneTimeCodeFlowEndToEnd) {
  const std::string id = create_user();
  auto [started, v] = post("/v1/users/" + id + "/verifications", {{"method", "sms_code"}});
  ASSERT_EQ(started, 201) << v.dump();
  EXPECT_EQ(v["status"], "pending");
  const std::string confirm =
      "/v1/users/" + id + "/verifications/" + v["id"].get<std::string>() + "/confirm";
  const std::string code = sender_.last_code();
  const std::string wrong = code == "000000" ? "000001" : "000000";

  auto [bad, err] = post(confirm, {{"response", wrong}});
  EXPECT_EQ(bad, 400);
  EXPECT_EQ(err["error"]["code"], "invalid_argument");
  EXPECT_NE(err["error"]["message"].get<std::string>().find("4 attempts left"), std::string::npos);
  EXPECT_EQ(get("/v1/users/" + id).second["state"], "pending");

  auto [ok, user] = post(confirm, {{"response", code}});
  ASSERT_EQ(ok, 200) << user.dump();
  EXPECT_EQ(user["state"], "verified");
  EXPECT_EQ(user["can_generate"], true);

  auto [replayed, replay_err] = post(confirm, {{"response", code}});
  EXPECT_EQ(replayed, 422);
  EXPECT_EQ(replay_err["error"]["code"], "failed_precondition");

  auto [status, full] = get("/v1/users/" + id);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(full["history"].size(), 3u);
}

TEST_P(IdentityRoutesTest, ExpiryAndAttemptLimitOverHttp) {
  const std::string id = create_user();
  auto [s1, v1] = post("/v1/users/" + id + "/verifications", {{"method", "sms_code"}});
  ASSERT_EQ(s1, 201);
  clock_.advance(options_.code_lifetime + 1s);
  auto [expired, e1] =
      post("/v1/users/" + id + "/verifications/" + v1["id"].get<std::string>() + "/confirm",
           {{"response", sender_.last_code()}});
  EXPECT_EQ(expired, 422);
  EXPECT_NE(e1["error"]["message"].get<std::string>().find("expired"), std::string::npos);

  auto [s2, v2] = post("/v1/users/" + id + "/verifications", {{"method", "sms_code"}});
  ASSERT_EQ(s2, 201);
  const std::string confirm =
      "/v1/users/" + id + "/verifications/" + v2["id"].get<std::string>() + "/confirm";
  const std::string wrong = sender_.last_code() == "000000" ? "000001" : "000000";
  for (int i = 0; i < options_.max_attempts - 1; ++i) {
    EXPECT_EQ(post(confirm, {{"response", wrong}}).first, 400);
  }
  EXPECT_EQ(post(confirm, {{"response", wrong}}).first, 429);
  EXPECT_EQ(post(confirm, {{"response", sender_.last_code()}}).first, 422);
  EXPECT_EQ(get("/v1/users/" + id).second["state"], "unverified");
}

TEST_P(IdentityRoutesTest, MalformedRequestsChangeNothing) {
  auto [s1, e1] = post("/v1/users", {{"id_number", "110105194912310021"}});
  EXPECT_EQ(s1, 400);
  EXPECT_NE(e1["error"]["message"].get<std::string>().find("check character"), std::string::npos);
  auto client = harness_.client();
  auto res =
      client.Post("/v1/users", {{"X-API-Key", service_key_}}, "not json", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(post("/v1/users", {{"phone", 13800138000}}).first, 400);
  EXPECT_EQ(get("/v1/users/nobody").first, 404);
  EXPECT_EQ(store().query("SELECT COUNT(*) FROM identity_users")->rows[0].integer(0).value(), 0);
}

TEST_P(IdentityRoutesTest, SuspendNeedsTheComplianceOfficerRole) {
  const std::string id = create_user();
  EXPECT_EQ(post("/v1/users/" + id + "/suspend", {{"reason", "x"}}, "").first, 401);
  EXPECT_EQ(post("/v1/users/" + id + "/suspend", {{"reason", "x"}}, "wrong").first, 401);
  auto [denied, err] = post("/v1/users/" + id + "/suspend", {{"reason", "x"}});
  EXPECT_EQ(denied, 403);
  EXPECT_EQ(err["error"]["code"], "permission_denied");
  auto [ok, user] = post("/v1/users/" + id + "/suspend", {{"reason", "abuse"}}, compliance_key_);
  ASSERT_EQ(ok, 200) << user.dump();
  EXPECT_EQ(user["state"], "suspended");
  EXPECT_EQ(user["can_generate"], false);
  auto [back, again] =
      post("/v1/users/" + id + "/reinstate", {{"reason", "appeal"}}, compliance_key_);
  EXPECT_EQ(back, 200);
  EXPECT_EQ(again["state"], "unverified");
  // The history names the key that acted.
  const auto compliance_id = compliance_key_.substr(3, 16);
  EXPECT_EQ(get("/v1/users/" + id).second["history"].back()["actor"], "operator:" + compliance_id);
}

TEST_P(IdentityRoutesTest, ManualReviewIsConfirmedByAComplianceOfficer) {
  auto [created, org] = post("/v1/users", {{"kind", "organisation"},
                                           {"name", "Example Technology Co., Ltd."},
                                           {"credit_code", "91350100M0001TGQXM"}});
  ASSERT_EQ(created, 201) << org.dump();
  const std::string id = org["id"];
  auto [started, v] = post("/v1/users/" + id + "/verifications", {{"method", "manual"}});
  ASSERT_EQ(started, 201) << v.dump();
  const std::string confirm =
      "/v1/users/" + id + "/verifications/" + v["id"].get<std::string>() + "/confirm";
  auto [by_service, err] = post(confirm, {{"response", "approve"}});
  EXPECT_EQ(by_service, 403);
  EXPECT_EQ(err["error"]["code"], "permission_denied");
  auto [by_officer, user] = post(confirm, {{"response", "approve"}}, compliance_key_);
  ASSERT_EQ(by_officer, 200) << user.dump();
  EXPECT_EQ(user["state"], "verified");
}

TEST_P(IdentityRoutesTest, UserBodiesAreSmall) {
  auto [status, err] = post("/v1/users", {{"name", std::string(70000, 'x')}});
  EXPECT_EQ(status, 413);
  EXPECT_EQ(err["error"]["code"], "payload_too_large");
  EXPECT_EQ(store().query("SELECT COUNT(*) FROM identity_users")->rows[0].integer(0).value(), 0);
}

TEST_P(IdentityRoutesTest, ConsentRoutesNeedAKey) {
  EXPECT_EQ(post("/v1/subjects", {{"name", "赵六"}}, "").first, 401);
  auto client = harness_.client();
  auto res = client.Get("/v1/consents/nothing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(store().query("SELECT COUNT(*) FROM consent_subjects")->rows[0].integer(0).value(), 0);
}

TEST_P(IdentityRoutesTest, ConsentGrantCheckRevoke) {
  auto [s1, subject] = post("/v1/subjects", {{"name", "赵六"}});
  ASSERT_EQ(s1, 201) << subject.dump();
  const std::string sid = subject["id"];
  const json grant{{"subject_id", sid},
                   {"modalities", {"face"}},
                   {"purposes", {"video_generation"}},
                   {"services", {"*"}},
                   {"users", {"user-1"}},
                   {"valid_from", "2026-11-01T00:00:00Z"},
                   {"valid_until", "2026-12-01T00:00:00Z"},
                   {"evidence_sha256", std::string(64, 'e')}};
  auto [s2, consent] = post("/v1/consents", grant);
  ASSERT_EQ(s2, 201) << consent.dump();
  const json check{{"subjects", {sid}}, {"modality", "face"}, {"service", "s"}, {"user", "user-1"}};
  auto [s3, allowed] = post("/v1/consents/check", check);
  ASSERT_EQ(s3, 200);
  EXPECT_EQ(allowed["allowed"], true);
  auto [s4, revoked] =
      post("/v1/consents/" + consent["id"].get<std::string>() + "/revoke", {{"reason", "asked"}});
  ASSERT_EQ(s4, 200) << revoked.dump();
  auto [s5, denied] = post("/v1/consents/check", check);
  EXPECT_EQ(denied["allowed"], false);
  EXPECT_EQ(denied["missing"][0]["reason"], "revoked");
  auto [s6, with_consents] = get("/v1/subjects/" + sid);
  EXPECT_EQ(s6, 200);
  EXPECT_EQ(with_consents["consents"].size(), 1u);
  EXPECT_EQ(post("/v1/consents/check",
                 {{"subjects", {sid}}, {"modality", "smell"}, {"service", "s"}, {"user", "u"}})
                .first,
            400);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(IdentityRoutesTest);

}  // namespace
}  // namespace synthgate::server
