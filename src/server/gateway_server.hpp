#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/logging.hpp"
#include "core/result.hpp"
#include "server/http_metrics.hpp"
#include "server/principal.hpp"
#include "server/upload_form.hpp"

namespace synthgate::server {

// A route as the OpenAPI document names it: method in lower case, path with {params}.
struct RouteInfo {
  std::string method;  // "get", "post", ...
  std::string path;    // "/v1/contents/{id}"
  friend bool operator==(const RouteInfo&, const RouteInfo&) = default;
  friend auto operator<=>(const RouteInfo&, const RouteInfo&) = default;
};

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
using UploadHandler = std::function<void(const httplib::Request&, httplib::Response&,
                                         const Principal&, UploadedForm&)>;

// The HTTP face of SynthGate on cpp-httplib. Every route is added through add_route, which
// times it for /metrics and records it for the OpenAPI check; errors are JSON everywhere.
class GatewayServer {
 public:
  GatewayServer(ServerConfig config, Logger logger);
  ~GatewayServer();
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  // `path` uses OpenAPI templates ({id} matches one path segment, in req.matches[1..]).
  void add_route(std::string method, std::string path, Handler handler);
  // A route behind the authenticator: the handler runs only for a principal `access` admits.
  void add_route(std::string method, std::string path, RouteAccess access, AuthedHandler handler);

  // A POST route whose body streams to files in server.spool_dir (multipart parts, or the
  // whole body) after the caller is admitted; nothing of a refused request is read.
  void add_upload_route(std::string path, RouteAccess access, UploadHandler handler);

  // Decides the principal of every request to a route added with RouteAccess. Until one is
  // set, every such request is admitted as a development principal of the route's first role.
  void set_authenticator(Authenticator authenticator);
  void set_authenticator(AuthenticatorWithHeaders authenticator) {
    authenticator_ = std::move(authenticator);
  }

  const std::vector<RouteInfo>& routes() const { return routes_; }
  HttpMetrics& metrics() { return metrics_; }

  // Binds the listening socket; returns the port (useful with port 0).
  Result<int> bind();
  // Serves until stop(); requests in flight when stop() is called are finished first.
  Status run();
  void stop();

 private:
  ServerConfig config_;
  Logger logger_;
  HttpMetrics metrics_;
  Handler timed(std::string method, std::string path, Handler handler);
  // The principal of a request, or the refusal with the headers it needs (Retry-After).
  Result<Principal> admit(const httplib::Request& req, const RouteAccess& access,
                          httplib::Headers& refusal_headers);

  std::vector<RouteInfo> routes_;
  // Routes with their own body limit, checked on Content-Length before the body is read.
  struct BodyLimit {
    std::string method;  // upper case, as httplib gives it
    std::regex pattern;
    std::size_t max_bytes;
  };
  std::vector<BodyLimit> body_limits_;
  AuthenticatorWithHeaders authenticator_;
  std::size_t largest_body_ = 0;
  httplib::Server http_;
  // Lets stop() and run() meet in either order, from different threads.
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> run_called_{false};
  std::atomic<bool> finished_{false};
};

}  // namespace synthgate::server
