#include "identity/signed_service_client.hpp"

#include <httplib.h>

#include <charconv>
#include <thread>

#include "core/digest.hpp"

namespace synthgate::identity {

Status parse_endpoint_url(std::string_view url, ServiceEndpoint& endpoint) {
  auto refuse = [&](std::string_view why) {
    return fail(ErrorCode::kConfig, "endpoint \"" + std::string(url) + "\": " + std::string(why));
  };
  bool https = false;
  std::string_view rest;
  if (url.starts_with("https://")) {
    https = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return refuse("must start with http:// or https://");
  }
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? "/" : rest.substr(slash);
  if (authority.empty()) return refuse("no host");
  std::string_view host = authority;
  int port = https ? 443 : 80;
  if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    const std::string_view digits = authority.substr(colon + 1);
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port < 1 || port > 65535) {
      return refuse("the port must be 1 to 65535");
    }
  }
  if (host.empty()) return refuse("no host");
  endpoint.https = https;
  endpoint.host = std::string(host);
  endpoint.port = port;
  endpoint.path = std::string(path);
  return {};
}

std::string identity_check_signature(const SecretBytes& secret, std::string_view path,
                                     std::string_view timestamp, std::string_view nonce,
                                     std::string_view body) {
  std::string text = "POST\n";
  text += path;
  text += '\n';
  text += timestamp;
  text += '\n';
  text += nonce;
  text += '\n';
  text += hex_encode(sha256(as_bytes(body)));
  return hex_encode(hmac_sha256(secret, as_bytes(text)));
}

Result<nlohmann::json> post_signed(const ServiceEndpoint& endpoint, std::string_view service,
                                   const nlohmann::json& request, RandomSource& random) {
  const std::string body = request.dump();
  const std::string name(service);
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(endpoint.timeout);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(endpoint.timeout - seconds);
  Error last{ErrorCode::kUnavailable, name + " not reached"};
  auto delay = endpoint.backoff;
  for (int attempt = 0; attempt <= endpoint.retries; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(delay);
      delay *= 2;
    }
    const std::string timestamp =
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
    const std::string nonce = hex_encode(random.bytes(12));
    httplib::Headers headers{
        {"X-App-Id", endpoint.app_id},
        {"X-Timestamp", timestamp},
        {"X-Nonce", nonce},
        {"X-Signature",
         identity_check_signature(endpoint.secret, endpoint.path, timestamp, nonce, body)}};
    const std::string scheme_host = (endpoint.https ? "https://" : "http://") + endpoint.host +
                                    ":" + std::to_string(endpoint.port);
    httplib::Client client(scheme_host);
    client.set_connection_timeout(seconds.count(), micros.count());
    client.set_read_timeout(seconds.count(), micros.count());
    client.set_write_timeout(seconds.count(), micros.count());
    auto res = client.Post(endpoint.path, headers, body, "application/json");
    if (!res) {
      last = Error{ErrorCode::kUnavailable, name + ": " + httplib::to_string(res.error())};
      continue;
    }
    if (res->status == 429 || res->status >= 500) {
      last = Error{ErrorCode::kUnavailable, name + " answered " + std::to_string(res->status)};
      continue;
    }
    if (res->status != 200) {
      return fail(ErrorCode::kInternal,
                  name + " refused the request with " + std::to_string(res->status));
    }
    auto answer = nlohmann::json::parse(res->body, nullptr, false);
    if (!answer.is_object())
      return fail(ErrorCode::kUnavailable, name + " sent a malformed answer");
    return answer;
  }
  return tl::unexpected(
      with_context(last, "after " + std::to_string(endpoint.retries + 1) + " tries"));
}

}  // namespace synthgate::identity
