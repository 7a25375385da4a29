#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <future>
#include <memory>

#include "core/logging.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::testing {

// A GatewayServer on a free loopback port, served from a background thread for one test.
class ServerHarness {
 public:
  explicit ServerHarness(ServerConfig config = {}) {
    config.listen = ListenAddress{"127.0.0.1", 0};
    server_ = std::make_unique<server::GatewayServer>(
        config, make_logger("test", {"off", LogFormat::kText}));
  }
  ~ServerHarness() { stop(); }

  server::GatewayServer& server() { return *server_; }

  // Binds and starts serving; call after the routes are added.
  void start() {
    auto port = server_->bind();
    ASSERT_TRUE(port) << port.error().message;
    port_ = *port;
    running_ = std::async(std::launch::async, [this] { return server_->run(); });
  }

  Status stop() {
    if (!running_.valid()) return {};
    server_->stop();
    return running_.get();
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    return c;
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<server::GatewayServer> server_;
  std::future<Status> running_;
  int port_ = 0;
};

}  // namespace synthgate::testing
