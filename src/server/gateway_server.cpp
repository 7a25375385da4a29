#include "server/gateway_server.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
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
  // cpp-httplib serves a kept-alive connection on one thread until it closes: the pool must
  // cover the connections expected at once, not the cores (engines have their own slots).
  return std::max(64u, 16 * std::thread::hardware_concurrency());
}

}  // namespace

GatewayServer::GatewayServer(ServerConfig config, Logger logger)
    : config_(std::move(config)), logger_(std::move(logger)) {
  const unsigned threads = worker_threads(config_.threads);
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_.set_payload_max_length(config_.max_body_bytes);
  largest_body_ = config_.max_body_bytes;
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
    if (!req.has_header("Content-Length")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const std::size_t length = static_cast<std::size_t>(
        std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10));
    // A route without a limit of its own has server.max_body_bytes, even when an upload
    // route raised httplib's global limit above it.
    std::size_t max_bytes = config_.max_body_bytes;
    for (const auto& limit : body_limits_) {
      if (limit.method != req.method || !std::regex_match(req.path, limit.pattern)) continue;
      max_bytes = limit.max_bytes;
      break;
    }
    if (length <= max_bytes + kReadAnyway) return httplib::Server::HandlerResponse::Unhandled;
    // The unread body must not be taken for the next request on this connection.
    res.set_header("Connection", "close");
    write_error(
        res, Error{ErrorCode::kPayloadTooLarge, "the body is larger than this route's limit of " +
                                                    std::to_string(max_bytes) + " bytes"});
    metrics_.observe(req.method, "(unrouted)", res.status, 0.0);
    return httplib::Server::HandlerResponse::Handled;
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

Handler GatewayServer::timed(std::string method, std::string path, Handler handler) {
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return [this, upper = std::move(method), path = std::move(path), handler = std::move(handler)](
             const httplib::Request& req, httplib::Response& res) {
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
}

void GatewayServer::add_route(std::string method, std::string path, Handler handler) {
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  routes_.push_back({method, path});
  const std::string pattern = path_pattern(path);
  Handler wrapped = timed(method, path, std::move(handler));
  if (method == "get")
    http_.Get(pattern, wrapped);
  else if (method == "post")
    http_.Post(pattern, wrapped);
  else if (method == "put")
    http_.Put(pattern, wrapped);
  else if (method == "patch")
    http_.Patch(pattern, wrapped);
  else if (method == "delete")
    http_.Delete(pattern, wrapped);
  else if (method == "options")
    http_.Options(pattern, wrapped);
}

Result<Principal> GatewayServer::admit(const httplib::Request& req, const RouteAccess& access,
                                       httplib::Headers& refusal_headers) {
  if (authenticator_) return authenticator_(req, access, refusal_headers);
  if (access.roles.empty()) return Principal{};
  return Principal{"development", access.roles.front(), std::nullopt};
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
              httplib::Headers refusal_headers;
              auto principal = admit(req, access, refusal_headers);
              if (!principal) {
                for (const auto& [name, value] : refusal_headers) res.set_header(name, value);
                write_error(res, principal.error());
                return;
              }
              handler(req, res, *principal);
            });
}

void GatewayServer::add_upload_route(std::string path, RouteAccess access, UploadHandler handler) {
  routes_.push_back({"post", path});
  const std::size_t limit =
      access.max_body_bytes > 0 ? access.max_body_bytes : config_.max_body_bytes;
  // httplib's own limit is global: it must let the largest route through; each route then
  // counts its own bytes.
  if (limit > largest_body_) {
    largest_body_ = limit;
    http_.set_payload_max_length(limit);
  }
  body_limits_.push_back({"POST", std::regex(path_pattern(path)), limit});
  std::error_code ec;
  std::filesystem::create_directories(config_.spool_dir, ec);
  http_.Post(path_pattern(path),
             [this, path, access = std::move(access), limit, handler = std::move(handler)](
                 const httplib::Request& req, httplib::Response& res,
                 const httplib::ContentReader& reader) {
               timed("post", path, [&](const httplib::Request& r, httplib::Response& s) {
                 httplib::Headers refusal_headers;
                 auto principal = admit(r, access, refusal_headers);
                 if (!principal) {
                   for (const auto& [name, value] : refusal_headers) s.set_header(name, value);
                   // The body stays unread: the connection cannot be reused.
                   s.set_header("Connection", "close");
                   write_error(s, principal.error());
                   return;
                 }
                 auto form = receive_upload(r, reader, {limit}, config_.spool_dir);
                 if (!form) {
                   s.set_header("Connection", "close");
                   write_error(s, form.error());
                   return;
                 }
                 handler(r, s, *principal, *form);
               })(req, res);
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
