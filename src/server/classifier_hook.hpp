#pragma once

#include <string_view>
#include <utility>

#include "pipeline/text_classifier.hpp"
#include "server/http_classifier.hpp"

namespace synthgate::server {

// The HTTP classifier as the pipeline's TextClassifier: what the desks and the chat proxy
// consult when moderation.classifier_url is set.
class ClassifierHook final : public pipeline::TextClassifier {
 public:
  explicit ClassifierHook(HttpClassifier classifier) : classifier_(std::move(classifier)) {}

  pipeline::ClassifierOutcome classify(std::string_view text,
                                       std::string_view stage) const override {
    auto outcome = classifier_.classify(text, stage);
    return {std::move(outcome.matches), std::move(outcome.unavailable_reason)};
  }

 private:
  HttpClassifier classifier_;
};

}  // namespace synthgate::server
