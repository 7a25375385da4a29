#include "identity/identity_check_provider.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/digest.hpp"

namespace synthgate::identity {

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

IdentityCheckProvider::IdentityCheckProvider(IdentityCheckConfig config, RandomSource& random)
    : config_(std::move(config)), random_(random) {}

Result<Started> IdentityCheckProvider::start(const Applicant& applicant) {
  if (!applicant.name || !applicant.id_number) {
    return fail(ErrorCode::kFailedPrecondition, "an identity check needs a name and ID number");
  }
  const std::string request_id = hex_encode(random_.bytes(16));
  const std::string body = nlohmann::json{
      {"name", *applicant.name},
      {"id_number", *applicant.id_number},
      {"request_id",
       request_id}}.dump();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(config_.timeout);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(config_.timeout - seconds);
  Error last{ErrorCode::kUnavailable, "identity check service not reached"};
  auto delay = config_.backoff;
  for (int attempt = 0; attempt <= config_.retries; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(delay);
      delay *= 2;
    }
    const std::string timestamp =
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
    const std::string nonce = hex_encode(random_.bytes(12));
    httplib::Headers headers{{"X-App-Id", config_.app_id},
                             {"X-Timestamp", timestamp},
                             {"X-Nonce", nonce},
                             {"X-Signature", identity_check_signature(config_.secret, config_.path,
                                                                      timestamp, nonce, body)}};
    const std::string scheme_host = (config_.https ? "https://" : "http://") + config_.host + ":" +
                                    std::to_string(config_.port);
    httplib::Client client(scheme_host);
    client.set_connection_timeout(seconds.count(), micros.count());
    client.set_read_timeout(seconds.count(), micros.count());
    client.set_write_timeout(seconds.count(), micros.count());
    auto res = client.Post(config_.path, headers, body, "application/json");
    if (!res) {
      last = Error{ErrorCode::kUnavailable,
                   "identity check service: " + httplib::to_string(res.error())};
      continue;
    }
    if (res->status == 429 || res->status >= 500) {
      last = Error{ErrorCode::kUnavailable,
                   "identity check service answered " + std::to_string(res->status)};
      continue;
    }
    if (res->status != 200) {
      return fail(ErrorCode::kInternal,
                  "identity check service refused the request with " + std::to_string(res->status));
    }
    const auto answer = nlohmann::json::parse(res->body, nullptr, false);
    if (!answer.is_object() || !answer.contains("result") || !answer["result"].is_string()) {
      return fail(ErrorCode::kUnavailable, "identity check service sent a malformed answer");
    }
    const std::string result = answer["result"].get<std::string>();
    Started out;
    out.state = "-";
    if (result == "match") {
      out.outcome = Started::Outcome::kPassed;
      out.message = "name and ID number match";
    } else if (result == "mismatch" || result == "not_found") {
      out.outcome = Started::Outcome::kRejected;
      out.message = result == "mismatch" ? "name and ID number do not match"
                                         : "the ID number is not on record";
    } else {
      return fail(ErrorCode::kUnavailable, "identity check service answered " + result);
    }
    return out;
  }
  return tl::unexpected(
      with_context(last, "after " + std::to_string(config_.retries + 1) + " tries"));
}

}  // namespace synthgate::identity
