#include "pipeline/moderation_reasons.hpp"

#include <fmt/format.h>

namespace synthgate::pipeline {

Reason text_match_reason(const moderation::TextMatch& m, std::string code, std::string action,
                         const std::string& what) {
  std::string techniques;
  for (auto name : moderation::technique_names(m.techniques)) {
    if (!techniques.empty()) techniques += ",";
    techniques += name;
  }
  return Reason{std::move(code),
                std::move(action),
                m.personal_data ? what + " holds personal data (" + m.term + ")"
                                : what + " matches a lexicon term of category " + m.category,
                {{"term", m.term},
                 {"category", m.category},
                 {"start", std::to_string(m.start)},
                 {"end", std::to_string(m.end)},
                 {"found_by", techniques}}};
}

Reason blocklist_reason(const moderation::ImageCheck& check,
                        const moderation::HashBlocklist& blocklist, std::string code,
                        const std::string& what) {
  const auto& nearest = check.matches.front();
  return Reason{std::move(code),
                std::string(check.decision),
                what + " is near a blocklisted image",
                {{"distance", std::to_string(nearest.distance)},
                 {"list_label", blocklist.entries()[nearest.index].label},
                 {"pdq", check.pdq.hash.hex()}}};
}

Reason video_blocklist_reason(const moderation::VideoCheck& check,
                              const moderation::HashBlocklist& blocklist, std::string code,
                              const std::string& what) {
  const auto& first = check.matches.front();
  const std::string seconds = fmt::format("{:.3f}", first.seconds);
  return Reason{std::move(code),
                std::string(check.decision),
                what + " shows a blocklisted image at " + seconds + " s",
                {{"seconds", seconds},
                 {"distance", std::to_string(first.match.distance)},
                 {"list_label", blocklist.entries()[first.match.index].label},
                 {"pdq", first.pdq.hash.hex()},
                 {"matching_frames", std::to_string(check.matches.size())}}};
}

void add_classifier_reasons(const ClassifierOutcome& outcome, const std::string& stage,
                            const std::string& what, std::vector<Reason>& reasons) {
  bool failed_closed = false;
  for (const auto& m : outcome.matches) {
    const std::string action = m.action == moderation::MatchAction::kBlock ? "block" : "review";
    if (m.term == "classifier_unavailable") {
      failed_closed = true;
      reasons.push_back({"classifier_unavailable",
                         action,
                         "the classifier could not answer (" + outcome.unavailable_reason +
                             "); category " + m.category + " fails closed",
                         {{"category", m.category}, {"found_by", "classifier"}}});
      continue;
    }
    reasons.push_back({stage + (action == "block" ? "_blocked" : "_review"),
                       action,
                       "the classifier scores " + what + " in category " + m.category,
                       {{"category", m.category}, {"found_by", "classifier"}}});
  }
  if (!outcome.unavailable_reason.empty() && !failed_closed) {
    reasons.push_back({"classifier_unavailable",
                       "note",
                       "the classifier could not answer (" + outcome.unavailable_reason +
                           "); its categories fail open",
                       {}});
  }
}

}  // namespace synthgate::pipeline
