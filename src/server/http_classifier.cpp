#include "server/http_classifier.hpp"

#include <httplib.h>

namespace synthgate::server {

Result<HttpClassifier> HttpClassifier::create(ClassifierEndpoint endpoint,
                                              moderation::ClassifierPolicy policy,
                                              HttpMetrics* metrics) {
  if (auto s = policy.check(); !s) return tl::unexpected(s.error());
  const std::string_view url = endpoint.url;
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return fail(ErrorCode::kConfig, "classifier URL must start with http:// (got '" + endpoint.url +
                                        "'); put TLS in a local proxy");
  }
  const auto slash = url.find('/', kScheme.size());
  HttpClassifier c;
  c.origin_ = std::string(url.substr(0, slash));
  c.path_ = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  if (c.origin_.size() == kScheme.size()) {
    return fail(ErrorCode::kConfig, "classifier URL '" + endpoint.url + "' has no host");
  }
  if (endpoint.timeout.count() <= 0) {
    return fail(ErrorCode::kConfig, "classifier timeout must be positive");
  }
  c.endpoint_ = std::move(endpoint);
  c.policy_ = std::move(policy);
  c.metrics_ = metrics;
  return c;
}

HttpClassifier::Outcome HttpClassifier::classify(std::string_view text,
                                                 std::string_view stage) const {
  const auto started = std::chrono::steady_clock::now();
  httplib::Client client(origin_);
  const auto timeout = endpoint_.timeout;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout - seconds);
  client.set_connection_timeout(seconds.count(), micros.count());
  client.set_read_timeout(seconds.count(), micros.count());
  client.set_write_timeout(seconds.count(), micros.count());
  httplib::Headers headers;
  if (!endpoint_.bearer_token.empty()) {
    headers.emplace("Authorization", "Bearer " + endpoint_.bearer_token);
  }
  const auto response =
      client.Post(path_, headers, moderation::classifier_request(text, stage), "application/json");
  Result<moderation::ClassifierScores> answer =
      fail(ErrorCode::kUnavailable, "classifier did not answer");
  std::string outcome = "ok";
  if (!response) {
    const bool timed_out = response.error() == httplib::Error::Read ||
                           response.error() == httplib::Error::ConnectionTimeout;
    outcome = timed_out ? "timeout" : "error";
    answer = fail(ErrorCode::kUnavailable,
                  "classifier " + outcome + ": " + httplib::to_string(response.error()));
  } else if (response->status != 200) {
    outcome = "error";
    answer = fail(ErrorCode::kUnavailable,
                  "classifier answered HTTP " + std::to_string(response->status));
  } else {
    answer = moderation::parse_classifier_response(response->body);
    if (!answer) outcome = "error";
  }
  if (metrics_ != nullptr) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    metrics_->observe_dependency("classifier", outcome, took.count());
  }
  Outcome out;
  out.matches =
      moderation::classifier_matches(policy_, answer, static_cast<std::uint32_t>(text.size()));
  if (!answer) out.unavailable_reason = answer.error().message;
  return out;
}

}  // namespace synthgate::server
