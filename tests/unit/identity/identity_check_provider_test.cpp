#include "identity/identity_check_provider.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/digest.hpp"
#include "identity/national_token_client.hpp"
#include "unit/identity/identity_fixture.hpp"

namespace synthgate::identity {
namespace {

using namespace std::chrono_literals;

const SecretBytes kSecret(std::vector<std::uint8_t>(32, 0x5a));

// A local identity-check service over real HTTP on an ephemeral port. It checks the request
// signature and answers by the mode the test sets.
class FakeIdentityService {
 public:
  enum class Mode { kAnswer, kServerError, kSlow, kBadRequest, kGarbage };

  FakeIdentityService() {
    server_.Post(
        "/v1/identity/verify", [this](const httplib::Request& req, httplib::Response& res) {
          ++calls;
          const std::string expected =
              identity_check_signature(kSecret, req.path, req.get_header_value("X-Timestamp"),
                                       req.get_header_value("X-Nonce"), req.body);
          if (req.get_header_value("X-Signature") != expected ||
              req.get_header_value("X-App-Id") != "synthgate-test") {
            res.status = 401;
            return;
          }
          const int call = calls.load();
          if (mode == Mode::kServerError && call <= failures_before_success) {
            res.status = 503;
            return;
          }
          if (mode == Mode::kSlow) std::this_thread::sleep_for(700ms);
          if (mode == Mode::kBadRequest) {
            res.status = 400;
            return;
          }
          if (mode == Mode::kGarbage) {
            res.set_content("<html>", "text/html");
            return;
          }
          const auto body = nlohmann::json::parse(req.body);
          const bool match = body["name"] == "张三" && body["id_number"] == "11010519491231002X";
          res.set_content(nlohmann::json{{"result", match ? "match" : "mismatch"}}.dump(),
                          "application/json");
        });
    port = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeIdentityService() {
    server_.stop();
    thread_.join();
  }

  std::atomic<int> calls{0};
  Mode mode = Mode::kAnswer;
  int failures_before_success = 0;
  int port = 0;

 private:
  httplib::Server server_;
  std::thread thread_;
};

IdentityCheckConfig config_for(int port, SecretBytes secret = kSecret) {
  IdentityCheckConfig c;
  c.host = "127.0.0.1";
  c.port = port;
  c.https = false;
  c.app_id = "synthgate-test";
  c.secret = std::move(secret);
  c.timeout = 300ms;
  c.retries = 2;
  c.backoff = 10ms;
  return c;
}

Applicant applicant(const std::string& name) {
  return Applicant{"u1", name, "11010519491231002X", std::nullopt};
}

TEST(IdentityCheckProvider, MatchAndMismatchOverHttp) {
  FakeIdentityService service;
  SecureRandom random;
  IdentityCheckProvider provider(config_for(service.port), random);
  auto match = provider.start(applicant("张三"));
  ASSERT_TRUE(match) << match.error().message;
  EXPECT_EQ(match->outcome, Started::Outcome::kPassed);
  auto mismatch = provider.start(applicant("李四"));
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->outcome, Started::Outcome::kRejected);
  EXPECT_EQ(service.calls, 2);
}

TEST(IdentityCheckProvider, RetriesServerErrorsWithBackoff) {
  FakeIdentityService service;
  service.mode = FakeIdentityService::Mode::kServerError;
  service.failures_before_success = 2;
  SecureRandom random;
  IdentityCheckProvider provider(config_for(service.port), random);
  auto result = provider.start(applicant("张三"));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome, Started::Outcome::kPassed);
  EXPECT_EQ(service.calls, 3);
}

TEST(IdentityCheckProvider, GivesUpAfterRetriesWithUnavailable) {
  FakeIdentityService service;
  service.mode = FakeIdentityService::Mode::kServerError;
  service.failures_before_success = 100;
  SecureRandom random;
  IdentityCheckProvider provider(config_for(service.port), random);
  auto result = provider.start(applicant("张三"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(result.error().message.find("503"), std::string::npos);
  EXPECT_EQ(service.calls, 3);
}

TEST(IdentityCheckProvider, TimeoutIsUnavailable) {
  FakeIdentityService service;
  service.mode = FakeIdentityService::Mode::kSlow;
  SecureRandom random;
  auto config = config_for(service.port);
  config.retries = 1;
  IdentityCheckProvider provider(config, random);
  auto result = provider.start(applicant("张三"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(service.calls, 2);
}

TEST(IdentityCheckProvider, ClientErrorsAreNotRetried) {
  FakeIdentityService service;
  service.mode = FakeIdentityService::Mode::kBadRequest;
  SecureRandom random;
  IdentityCheckProvider provider(config_for(service.port), random);
  auto result = provider.start(applicant("张三"));
  ASSERT_FALSE(result);
  EXPECT_EQ(service.calls, 1);
  // A wrong signing key is refused by the service (401), also without retries.
  FakeIdentityService other;
  IdentityCheckProvider wrong_key(
      config_for(other.port, SecretBytes(std::vector<std::uint8_t>(32, 1))), random);
  auto refused = wrong_key.start(applicant("张三"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("401"), std::string::npos);
  EXPECT_EQ(other.calls, 1);
}

TEST(IdentityCheckProvider, MalformedAnswerAndNoServer) {
  FakeIdentityService service;
  service.mode = FakeIdentityService::Mode::kGarbage;
  SecureRandom random;
  IdentityCheckProvider provider(config_for(service.port), random);
  EXPECT_EQ(provider.start(applicant("张三")).error().code, ErrorCode::kUnavailable);
  auto config = config_for(1);  // nothing listens on port 1
  config.retries = 0;
  IdentityCheckProvider nowhere(config, random);
  EXPECT_EQ(nowhere.start(applicant("张三")).error().code, ErrorCode::kUnavailable);
}

// The whole path: registry, vault (name and number read for the check, audited), HTTP.
class IdentityCheckFlowTest : public IdentityTest {};

TEST_P(IdentityCheckFlowTest, VerifiesAtOnceOrFailsWithTheServiceAnswer) {
  FakeIdentityService service;
  IdentityCheckProvider provider(config_for(service.port), secure_);
  users_->add_provider(provider);
  Registration reg;
  reg.name = "张三";
  reg.id_number = "11010519491231002X";
  auto user = users_->create(reg);
  ASSERT_TRUE(user);
  auto v = users_->start_verification(user->id, "id_check", "api");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->status, "passed");
  EXPECT_EQ(users_->get(user->id)->state, UserState::kVerified);

  reg.name = "李四";
  auto other = users_->create(reg);
  ASSERT_TRUE(other);
  auto failed = users_->start_verification(other->id, "id_check", "api");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, "failed");
  EXPECT_EQ(failed->message, "name and ID number do not match");
  EXPECT_EQ(users_->get(other->id)->state, UserState::kUnverified);

  service.mode = FakeIdentityService::Mode::kSlow;
  auto third = users_->create(reg);
  ASSERT_TRUE(third);
  auto down = users_->start_verification(third->id, "id_check", "api");
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(users_->get(third->id)->state, UserState::kUnverified);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(IdentityCheckFlowTest);

// The national identity token endpoint, over real HTTP: the same signed requests.
class FakeTokenService {
 public:
  FakeTokenService() {
    server_.Post("/token/verify", [this](const httplib::Request& req, httplib::Response& res) {
      ++calls;
      const std::string expected =
          identity_check_signature(kSecret, req.path, req.get_header_value("X-Timestamp"),
                                   req.get_header_value("X-Nonce"), req.body);
      if (req.get_header_value("X-Signature") != expected) {
        res.status = 401;
        return;
      }
      if (garbage) {
        res.set_content(R"({"result": "maybe"})", "application/json");
        return;
      }
      const auto body = nlohmann::json::parse(req.body);
      if (body["token"] == "good-token") {
        res.set_content(R"({"result": "valid", "network_id": "NID-0042"})", "application/json");
      } else {
        res.set_content(R"({"result": "invalid", "reason": "token expired"})", "application/json");
      }
    });
    port = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeTokenService() {
    server_.stop();
    thread_.join();
  }
  std::atomic<int> calls{0};
  bool garbage = false;
  int port = 0;

 private:
  httplib::Server server_;
  std::thread thread_;
};

TEST(NationalTokenClient, ValidInvalidAndMalformedAnswersOverHttp) {
  FakeTokenService service;
  SecureRandom random;
  ServiceEndpoint e = config_for(service.port);
  ASSERT_TRUE(
      parse_endpoint_url("http://127.0.0.1:" + std::to_string(service.port) + "/token/verify", e));
  NationalTokenClient client(e, random);
  NationalTokenProvider provider(client);
  const Applicant nobody{"u1", std::nullopt, std::nullopt, std::nullopt};

  auto good = provider.check(nobody, "-", "good-token");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_TRUE(good->passed);
  auto bad = provider.check(nobody, "-", "old-token");
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->passed);
  EXPECT_NE(bad->message.find("token expired"), std::string::npos) << bad->message;
  service.garbage = true;
  auto odd = provider.check(nobody, "-", "good-token");
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().code, ErrorCode::kUnavailable);

  // A wrong secret is a refused request (401), not a bad token and not retried.
  e.secret = SecretBytes(std::vector<std::uint8_t>(32, 0x01));
  NationalTokenClient wrong(e, random);
  const int before = service.calls;
  auto refused = wrong.verify("good-token");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInternal);
  EXPECT_EQ(service.calls, before + 1);
}

TEST(ServiceEndpointUrl, ReadsSchemeHostPortAndPath) {
  ServiceEndpoint e;
  ASSERT_TRUE(parse_endpoint_url("https://idcheck.example.cn/v2/verify", e));
  EXPECT_TRUE(e.https);
  EXPECT_EQ(e.host, "idcheck.example.cn");
  EXPECT_EQ(e.port, 443);
  EXPECT_EQ(e.path, "/v2/verify");
  ASSERT_TRUE(parse_endpoint_url("http://10.0.0.7:8088", e));
  EXPECT_FALSE(e.https);
  EXPECT_EQ(e.port, 8088);
  EXPECT_EQ(e.path, "/");
  for (const char* bad :
       {"ftp://x/y", "http://", "http://:80/x", "http://h:0/", "http://h:99999/", "http://h:8a/"}) {
    auto r = parse_endpoint_url(bad, e);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kConfig);
  }
}

}  // namespace
}  // namespace synthgate::identity
