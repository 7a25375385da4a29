#include "server/http_classifier.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <thread>

namespace synthgate::server {
namespace {

using moderation::ClassifierPolicy;
using moderation::Decision;
using moderation::MatchAction;

// A provider's classifier, over real HTTP on an ephemeral port.
class FakeClassifier {
 public:
  explicit FakeClassifier(httplib::Server::Handler handler) {
    server_.Post("/v1/classify", std::move(handler));
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeClassifier() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/classify"; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

ClassifierPolicy policy() {
  return {{{"violence", 0.5, 0.8, Decision::kBlock}, {"spam", 0.5, 0.9, Decision::kPass}}};
}

TEST(HttpClassifier, SendsTheTextAndTurnsScoresIntoMatches) {
  std::string seen_body;
  std::string seen_auth;
  FakeClassifier fake([&](const httplib::Request& req, httplib::Response& res) {
    seen_body = req.body;
    seen_auth = req.get_header_value("Authorization");
    res.set_content(R"({"scores":{"violence":0.93,"spam":0.1}})", "application/json");
  });
  HttpMetrics metrics;
  auto c = HttpClassifier::create({fake.url(), std::chrono::milliseconds(2000), "s3cret"}, policy(),
                                  &metrics);
  ASSERT_TRUE(c) << c.error().message;
  const auto outcome = c->classify("一段文字", "prompt");
  EXPECT_EQ(seen_body, R"({"stage":"prompt","text":"一段文字"})");
  EXPECT_EQ(seen_auth, "Bearer s3cret");
  EXPECT_TRUE(outcome.unavailable_reason.empty());
  ASSERT_EQ(outcome.matches.size(), 1U);
  EXPECT_EQ(outcome.matches[0].category, "violence");
  EXPECT_EQ(outcome.matches[0].action, MatchAction::kBlock);
  EXPECT_NE(
      metrics.render().find(
          R"(synthgate_dependency_duration_seconds_count{dependency="classifier",outcome="ok"} 1)"),
      std::string::npos)
      << metrics.render();
}

TEST(HttpClassifier, ATimeoutFailsClosedWhereThePolicySaysSo) {
  FakeClassifier fake([](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    res.set_content(R"({"scores":{}})", "application/json");
  });
  HttpMetrics metrics;
  auto c =
      HttpClassifier::create({fake.url(), std::chrono::milliseconds(150), ""}, policy(), &metrics);
  ASSERT_TRUE(c);
  const auto outcome = c->classify("text", "output");
  EXPECT_NE(outcome.unavailable_reason.find("timeout"), std::string::npos)
      << outcome.unavailable_reason;
  ASSERT_EQ(outcome.matches.size(), 1U);  // spam fails open
  EXPECT_EQ(outcome.matches[0].category, "violence");
  EXPECT_EQ(outcome.matches[0].term, "classifier_unavailable");
  EXPECT_NE(metrics.render().find(R"(dependency="classifier",outcome="timeout")"),
            std::string::npos);
}

TEST(HttpClassifier, ErrorsAndBadAnswersCountAsUnavailable) {
  std::atomic<int> calls{0};
  FakeClassifier fake([&](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) {
      res.status = 500;
      return;
    }
    res.set_content("not json", "text/plain");
  });
  auto c =
      HttpClassifier::create({fake.url(), std::chrono::milliseconds(2000), ""}, policy(), nullptr);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->classify("a", "prompt").unavailable_reason, "classifier answered HTTP 500");
  EXPECT_NE(c->classify("a", "prompt").unavailable_reason.find("not a JSON object"),
            std::string::npos);
  // Nothing listening at all.
  auto nowhere = HttpClassifier::create(
      {"http://127.0.0.1:1/x", std::chrono::milliseconds(300), ""}, policy(), nullptr);
  ASSERT_TRUE(nowhere);
  EXPECT_FALSE(nowhere->classify("a", "prompt").unavailable_reason.empty());
}

TEST(HttpClassifier, RefusesBadEndpoints) {
  EXPECT_FALSE(HttpClassifier::create({"https://x/y", std::chrono::milliseconds(10), ""}, policy(),
                                      nullptr));
  EXPECT_FALSE(
      HttpClassifier::create({"http://", std::chrono::milliseconds(10), ""}, policy(), nullptr));
  EXPECT_FALSE(
      HttpClassifier::create({"http://x", std::chrono::milliseconds(0), ""}, policy(), nullptr));
}

}  // namespace
}  // namespace synthgate::server
