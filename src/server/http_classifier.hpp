#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "moderation/classifier_verdict.hpp"
#include "server/http_metrics.hpp"

namespace synthgate::server {

// Where the provider's own classifier listens: POST `url` with
// {"text": ..., "stage": "prompt"|"output"}, answer {"scores": {"<category>": 0..1}}.
struct ClassifierEndpoint {
  std::string url;  // http://host:port/path
  std::chrono::milliseconds timeout{1000};
  std::string bearer_token;  // sent as Authorization: Bearer, when set
};

// The external classifier hook: one call per text; a timeout, a refused connection, a non-200
// status or an unreadable answer count as "unavailable", which the policy turns into pass,
// review or block per category. Latency goes into the metrics as dependency "classifier".
class HttpClassifier {
 public:
  static Result<HttpClassifier> create(ClassifierEndpoint endpoint,
                                       moderation::ClassifierPolicy policy, HttpMetrics* metrics);

  // The classifier's matches for `text`, and why it was unavailable, if it was.
  struct Outcome {
    std::vector<moderation::TextMatch> matches;
    std::string unavailable_reason;  // empty when it answered
  };
  Outcome classify(std::string_view text, std::string_view stage) const;

 private:
  HttpClassifier() = default;

  ClassifierEndpoint endpoint_;
  std::string origin_;  // scheme://host:port
  std::string path_;
  moderation::ClassifierPolicy policy_;
  HttpMetrics* metrics_ = nullptr;
};

}  // namespace synthgate::server
