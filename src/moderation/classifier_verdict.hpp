#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "moderation/text_moderator.hpp"

namespace synthgate::moderation {

// What a provider's own classifier said about a text: a score in [0, 1] per category.
struct ClassifierScores {
  std::map<std::string, double> scores;
};

// The request SynthGate sends: {"text": "...", "stage": "prompt"|"output"}.
std::string classifier_request(std::string_view text, std::string_view stage);

// Reads {"scores": {"<category>": <number 0..1>, ...}} (other members are ignored). Anything
// else is an error, which the policy then treats as the classifier being unavailable.
Result<ClassifierScores> parse_classifier_response(std::string_view body);

// How one category's score becomes a decision, and what an unavailable classifier means for
// it: fail closed (review or block until it answers) or fail open (pass).
struct ClassifierCategory {
  std::string name;  // "*": every category not listed
  double review_at = 0.5;
  double block_at = 0.9;
  Decision when_unavailable = Decision::kPass;
};

struct ClassifierPolicy {
  std::vector<ClassifierCategory> categories;

  const ClassifierCategory* find(std::string_view category) const;
  // The thresholds are ordered and in [0, 1]; names are unique.
  Status check() const;
};

// One category as the CLI and the configuration write it: NAME:REVIEW_AT:BLOCK_AT[:MODE], MODE
// open (the default: pass when the classifier is unavailable), review or block. The error
// (kInvalidArgument) says what is wrong; callers add where the spec came from.
Result<ClassifierCategory> parse_classifier_category(std::string_view spec);
// A policy from such specs; none: "*:0.5:0.9:open". Checked as ClassifierPolicy::check does.
Result<ClassifierPolicy> parse_classifier_policy(const std::vector<std::string>& specs);

// The classifier's part of a decision: one match per category that reached review or block
// (term "classifier", span the whole text), or per fail-closed category when the classifier
// could not answer (term "classifier_unavailable").
std::vector<TextMatch> classifier_matches(const ClassifierPolicy& policy,
                                          const Result<ClassifierScores>& answer,
                                          std::uint32_t text_size);

// Adds matches to a decision, raising it as they require.
void add_matches(TextDecision& decision, const std::vector<TextMatch>& matches);

}  // namespace synthgate::moderation
