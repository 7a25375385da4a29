// parse_classifier_response on arbitrary bytes (what a provider's classifier sends back): it
// refuses, or every score it returns is a number in [0, 1], and the policy turns any answer
// into matches without failing.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "moderation/classifier_verdict.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::moderation;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const auto answer = parse_classifier_response(body);
  if (answer) {
    for (const auto& [category, score] : answer->scores) {
      FUZZ_CHECK(std::isfinite(score) && score >= 0 && score <= 1);
    }
  }
  const ClassifierPolicy policy{{{"a", 0.2, 0.7, Decision::kBlock}, {"*", 0.5, 0.9}}};
  for (const auto& m : classifier_matches(policy, answer, 10)) {
    FUZZ_CHECK(m.action == MatchAction::kBlock || m.action == MatchAction::kReview);
    FUZZ_CHECK(m.end == 10);
  }
  return 0;
}
