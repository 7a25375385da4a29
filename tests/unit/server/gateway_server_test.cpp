#include "server/gateway_server.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "server/api_response.hpp"
#include "server/system_routes.hpp"
#include "support/backend_test.hpp"
#include "support/server_harness.hpp"

namespace synthgate::server {
namespace {

using nlohmann::json;
using testing::ServerHarness;

// A store whose database has gone away: every call fails as unavailable.
class UnreachableStore final : public store::Store {
 public:
  store::Backend backend() const override { return store::Backend::kPostgresql; }
  std::string describe() const override { return "postgresql://db/x"; }
  Result<store::Rows> query(std::string_view, const store::Params&) override { return down(); }
  Status transact(const store::Work&) override { return down(); }
  Status ping() override { return down(); }

 private:
  static tl::unexpected<Error> down() {
    return fail(ErrorCode::kUnavailable, "cannot connect: connection refused");
  }
};

void expect_json_error(const httplib::Result& res, int status, const std::string& code) {
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, status);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const json body = json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], code) << res->body;
  EXPECT_TRUE(body["error"]["message"].is_string());
}

class HealthTest : public testing::BackendTest {};

TEST_P(HealthTest, HealthzAnswers200WhenTheDatabaseAnswers) {
  ServerHarness harness;
  add_system_routes(harness.server(), store());
  harness.start();
  auto res = harness.client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const json body = json::parse(res->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["database"]["backend"], GetParam());
  EXPECT_EQ(body["database"]["ok"], true);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(HealthTest);

TEST(GatewayServer, HealthzAnswers503WhenTheDatabaseDoesNot) {
  UnreachableStore down;
  ServerHarness harness;
  add_system_routes(harness.server(), down);
  harness.start();
  auto res = harness.client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  const json body = json::parse(res->body);
  EXPECT_EQ(body["status"], "unavailable");
  EXPECT_EQ(body["database"]["ok"], false);
}

TEST(GatewayServer, UnknownRoutesAndOversizedBodiesGetJsonErrors) {
  ServerConfig config;
  config.max_body_bytes = 1024;
  ServerHarness harness(config);
  harness.server().add_route("post", "/v1/echo",
                             [](const httplib::Request& req, httplib::Response& res) {
                               write_json(res, 200, {{"size", req.body.size()}});
                             });
  harness.start();
  auto client = harness.client();
  expect_json_error(client.Get("/v1/nothing-here"), 404, "not_found");
  expect_json_error(client.Post("/v1/echo", std::string(4096, 'x'), "application/octet-stream"),
                    413, "payload_too_large");
  auto fits = client.Post("/v1/echo", std::string(512, 'x'), "application/octet-stream");
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200);
}

TEST(GatewayServer, AThrowingHandlerIsA500JsonErrorAndTheServerLivesOn) {
  ServerHarness harness;
  harness.server().add_route("get", "/v1/boom", [](const httplib::Request&, httplib::Response&) {
    throw std::runtime_error("secret internals");
  });
  harness.server().add_route("get", "/v1/fine",
                             [](const httplib::Request&, httplib::Response& res) {
                               write_json(res, 200, {{"ok", true}});
                             });
  harness.start();
  auto client = harness.client();
  auto res = client.Get("/v1/boom");
  expect_json_error(res, 500, "internal");
  EXPECT_EQ(res->body.find("secret internals"), std::string::npos);
  auto fine = client.Get("/v1/fine");
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

TEST(GatewayServer, PathTemplatesMatchOneSegment) {
  ServerHarness harness;
  harness.server().add_route("get", "/v1/contents/{id}",
                             [](const httplib::Request& req, httplib::Response& res) {
                               write_json(res, 200, {{"id", req.matches[1].str()}});
                             });
  harness.start();
  auto client = harness.client();
  auto res = client.Get("/v1/contents/abc123");
  ASSERT_TRUE(res);
  EXPECT_EQ(json::parse(res->body)["id"], "abc123");
  expect_json_error(client.Get("/v1/contents/a/b"), 404, "not_found");
}

TEST(GatewayServer, MetricsCountRequestsByRouteAndStatus) {
  UnreachableStore down;
  ServerHarness harness;
  add_system_routes(harness.server(), down);
  harness.start();
  auto client = harness.client();
  (void)client.Get("/healthz");
  (void)client.Get("/healthz");
  (void)client.Get("/missing");
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/plain; version=0.0.4"),
            std::string::npos);
  EXPECT_NE(
      res->body.find(
          "synthgate_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"503\"} 2"),
      std::string::npos)
      << res->body;
  EXPECT_NE(res->body.find("route=\"(unrouted)\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(res->body.find("synthgate_http_request_duration_seconds_count{method=\"GET\",route=\"/"
                           "healthz\",status=\"503\"} 2"),
            std::string::npos);
}

TEST(GatewayServer, StopFinishesRequestsInFlight) {
  ServerHarness harness;
  std::atomic<bool> entered{false};
  harness.server().add_route("get", "/v1/slow",
                             [&](const httplib::Request&, httplib::Response& res) {
                               entered = true;
                               std::this_thread::sleep_for(std::chrono::milliseconds(400));
                               write_json(res, 200, {{"done", true}});
                             });
  harness.start();
  auto in_flight = std::async(std::launch::async, [&] { return harness.client().Get("/v1/slow"); });
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto stopped = harness.stop();
  EXPECT_TRUE(stopped);
  auto res = in_flight.get();
  ASSERT_TRUE(res) << "the request in flight was cut off";
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(harness.client().Get("/v1/slow")) << "the server still accepts requests";
}

TEST(GatewayServer, StopBeforeRunMeansRunReturnsAtOnce) {
  GatewayServer server(ServerConfig{ListenAddress{"127.0.0.1", 0}},
                       make_logger("t", {"off", LogFormat::kText}));
  ASSERT_TRUE(server.bind());
  server.stop();
  EXPECT_TRUE(server.run());
}

TEST(GatewayServer, BindingAPortInUseIsAnError) {
  ServerHarness first;
  first.start();
  ServerConfig config;
  config.listen = ListenAddress{"127.0.0.1", static_cast<std::uint16_t>(first.port())};
  GatewayServer second(config, make_logger("t", {"off", LogFormat::kText}));
  auto bound = second.bind();
  ASSERT_FALSE(bound);
  EXPECT_EQ(bound.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(bound.error().message.find("cannot listen on 127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::server
