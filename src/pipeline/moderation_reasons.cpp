#include "pipeline/moderation_reasons.hpp"

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

}  // namespace synthgate::pipeline
