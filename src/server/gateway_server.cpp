#include "server/gateway_server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <regex>
#include <thread>

#include "server/api_response.hpp"

namespace synthgate::server {

namespace {

// "/v1/contents/{id}" -> "/v1/contents/([^/]+)"; other regex characters are escaped.
std::string path_pattern(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '{') {
      i = path.find('}', i);
      out += "([^/]+)";
    } else if (std::string_view(".^$|()[]*+?\\").find(c) != std::string_view::npos) {
      out.push_back('\\');
      out.push_back(c);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

unsigned worker_threads(unsigned configured) {
  if (configured > 0) return configured;
  return std::max(4u, std::thread::hardware_concurrency());
}

}  // namespace

GatewayServer::GatewayServer(ServerConfig config, Logger logger)
    : config_(std::move(config)), logger_(std::move(logger)) {
  const unsigned threads = worker_threads(config_.threads);
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_.set_payload_max_length(config_.max_body_bytes);
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second gateway
  // would share the port silently instead of reporting it in use.
  http_.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Short keep-alive so that a graceful stop does not wait long on idle connections.
  http_.set_keep_alive_timeout(2);
  http_.set_read_timeout(30, 0);
  http_.set_write_timeout(30, 0);

  // A body far over its route's limit is refused from its Content-Length, before it is read.
  // A body at most kReadAnyway over is read and refused after (as is a chunked one, up to
  // server.max_body_bytes): closing a socket with unread bytes resets the connection, and
  // the client may then lose the answer.
  http_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    constexpr std::size_t kReadAnyway = 64u << 10;
    if (body_limits_.empty() || !req.has_header("Content-Length")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const std::size_t length = static_cast<std::size_t>(
        std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10));
    for (const auto& limit : body_limits_) {
      if (limit.method != req.method || !std::regex_match(req.path, limit.pattern)) continue;
      if (length <= limit.max_bytes + kReadAnyway) break;
      // The unread body must not be taken for the next request on this connection.
      res.set_header("Connection", "close");
      write_error(
          res, Error{ErrorCode::kPayloadTooLarge, "the body is larger than this route's limit of " +
                                                      std::to_string(limit.max_bytes) + " bytes"});
      metrics_.observe(req.method, "(unrouted)", res.status, 0.0);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http_.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        // Reached only by answers the HTTP layer made itself: no route, body too large, ...
        metrics_.observe(req.method, "(unrouted)", res.status, 0.0);
        write_error_for_status(res, res.status);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_.set_exception_handler(
      [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        logger_->error("{} {}: unhandled exception: {}", req.method, req.path, what);
        write_error(res, Error{ErrorCode::kInternal, "internal error"});
      });
}

GatewayServer::~GatewayServer() {
  stop();
}

void GatewayServer::add_route(std::string method, std::string path, Handler handler) {
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  routes_.push_back({method, path});
  const std::string pattern = path_pattern(path);
  const std::string upper = [&] {
    std::string u = method;
    std::transform(u.begin(), u.end(), u.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return u;
  }();
  Handler timed = [this, upper, path, handler = std::move(handler)](const httplib::Request& req,
                                                                    httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    try {
      handler(req, res);
    } catch (const std::exception& e) {
      logger_->error("{} {}: unhandled exception: {}", upper, path, e.what());
      write_error(res, Error{ErrorCode::kInternal, "internal error"});
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    metrics_.observe(upper, path, res.status, took.count());
  };
  if (method == "get")
    http_.Get(pattern, timed);
  else if (method == "post")
    http_.Post(pattern, timed);
  else if (method == "put")
    http_.Put(pattern, timed);
  else if (method == "patch")
    http_.Patch(pattern, timed);
  else if (method == "delete")
    http_.Delete(pattern, timed);
  else if (method == "options")
    http_.Options(pattern, timed);
}

void GatewayServer::set_authenticator(Authenticator authenticator) {
  authenticator_ = [authenticator = std::move(authenticator)](
                       const httplib::Request& req, const RouteAccess& access, httplib::Headers&) {
    return authenticator(req, access);
  };
}

void GatewayServer::add_route(std::string method, std::string path, RouteAccess access,
                              AuthedHandler handler) {
  if (access.max_body_bytes > 0 && access.max_body_bytes < config_.max_body_bytes) {
    std::string upper = method;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    body_limits_.push_back({upper, std::regex(path_pattern(path)), access.max_body_bytes});
  }
  add_route(std::move(method), std::move(path),
            [this, access = std::move(access), handler = std::move(handler)](
                const httplib::Request& req, httplib::Response& res) {
              const std::size_t limit =
                  access.max_body_bytes > 0 ? access.max_body_bytes : config_.max_body_bytes;
              if (req.body.size() > limit) {
                write_error(res, Error{ErrorCode::kPayloadTooLarge,
                                       "the body is larger than this route's limit of " +
                                           std::to_string(limit) + " bytes"});
                return;
              }
              Principal principal;
              if (authenticator_) {
                httplib::Headers refusal_headers;
                auto found = authenticator_(req, access, refusal_headers);
                if (!found) {
                  for (const auto& [name, value] : refusal_headers) res.set_header(name, value);
                  write_error(res, found.error());
                  return;
                }
                principal = std::move(*found);
              } else if (!access.roles.empty()) {
                principal = Principal{"development", access.roles.front(), std::nullopt};
              }
              handler(req, res, principal);
            });
}

Result<int> GatewayServer::bind() {
  const int port =
      config_.listen.port == 0
          ? http_.bind_to_any_port(config_.listen.host)
          : (http_.bind_to_port(config_.listen.host, config_.listen.port) ? config_.listen.port
                                                                          : -1);
  if (port < 0) {
    return fail(ErrorCode::kUnavailable,
                "cannot listen on " + config_.listen.to_string() +
                    " (address in use, or not an address of this machine)");
  }
  return port;
}

Status GatewayServer::run() {
  run_called_ = true;
  const bool ok = stop_requested_ || http_.listen_after_bind();
  finished_ = true;
  if (!ok) return fail(ErrorCode::kUnavailable, "the HTTP server stopped unexpectedly");
  return {};
}

void GatewayServer::stop() {
  stop_requested_ = true;
  if (!run_called_) return;  // run() will see the request and not start
  while (!http_.is_running() && !finished_)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (http_.is_running()) http_.stop();
}

}  // namespace synthgate::server
