#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "moderation/text_moderator.hpp"

namespace synthgate::pipeline {

// What a provider's classifier said about one text: matches as the lexicon gives them (term
// "classifier", or "classifier_unavailable" for a category that fails closed), and why it could
// not answer, if it could not.
struct ClassifierOutcome {
  std::vector<moderation::TextMatch> matches;
  std::string unavailable_reason;  // empty when it answered
};

// The optional external classifier the desks and the chat proxy consult beside the lexicon.
// The pipeline knows only this; the server layer implements it over HTTP.
class TextClassifier {
 public:
  virtual ~TextClassifier() = default;
  // `stage`: "prompt" or "output". Never fails: an unavailable classifier is an outcome the
  // per-category policy has already turned into matches (fail closed) or none (fail open).
  virtual ClassifierOutcome classify(std::string_view text, std::string_view stage) const = 0;
};

}  // namespace synthgate::pipeline
