#include "moderation/classifier_verdict.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace synthgate::moderation {

std::string classifier_request(std::string_view text, std::string_view stage) {
  const nlohmann::json request{{"text", std::string(text)}, {"stage", std::string(stage)}};
  return request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<ClassifierCategory> parse_classifier_category(std::string_view spec) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto colon = spec.find(':', start);
    parts.emplace_back(spec.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  const auto bad = [](const std::string& why) {
    return fail(ErrorCode::kInvalidArgument,
                why + " (expected NAME:REVIEW_AT:BLOCK_AT[:open|review|block])");
  };
  if (parts.size() < 3 || parts.size() > 4) return bad("wrong number of fields");
  ClassifierCategory c;
  c.name = parts[0];
  if (c.name.empty()) return bad("NAME is empty");
  try {
    std::size_t used = 0;
    c.review_at = std::stod(parts[1], &used);
    if (used != parts[1].size()) return bad("REVIEW_AT is not a number");
    c.block_at = std::stod(parts[2], &used);
    if (used != parts[2].size()) return bad("BLOCK_AT is not a number");
  } catch (const std::exception&) {
    return bad("a threshold is not a number");
  }
  const std::string mode = parts.size() == 4 ? parts[3] : "open";
  if (mode == "open") {
    c.when_unavailable = Decision::kPass;
  } else if (mode == "review") {
    c.when_unavailable = Decision::kReview;
  } else if (mode == "block") {
    c.when_unavailable = Decision::kBlock;
  } else {
    return bad("unknown failure mode '" + mode + "'");
  }
  return c;
}

Result<ClassifierPolicy> parse_classifier_policy(const std::vector<std::string>& specs) {
  ClassifierPolicy policy;
  for (const auto& spec : specs) {
    auto c = parse_classifier_category(spec);
    if (!c) return fail(c.error().code, "'" + spec + "': " + c.error().message);
    policy.categories.push_back(std::move(*c));
  }
  if (policy.categories.empty()) policy.categories.push_back({"*", 0.5, 0.9, Decision::kPass});
  if (auto s = policy.check(); !s) return tl::unexpected(s.error());
  return policy;
}

Result<ClassifierScores> parse_classifier_response(std::string_view body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return fail(ErrorCode::kUnavailable, "classifier answer is not a JSON object");
  }
  const auto scores = json.find("scores");
  if (scores == json.end() || !scores->is_object()) {
    return fail(ErrorCode::kUnavailable, "classifier answer has no \"scores\" object");
  }
  ClassifierScores out;
  for (const auto& [category, score] : scores->items()) {
    if (!score.is_number()) {
      return fail(ErrorCode::kUnavailable,
                  "classifier score for '" + category + "' is not a number");
    }
    const double value = score.get<double>();
    if (!std::isfinite(value) || value < 0 || value > 1) {
      return fail(ErrorCode::kUnavailable,
                  "classifier score for '" + category + "' is outside [0, 1]");
    }
    out.scores.emplace(category, value);
  }
  return out;
}

const ClassifierCategory* ClassifierPolicy::find(std::string_view category) const {
  const ClassifierCategory* fallback = nullptr;
  for (const auto& c : categories) {
    if (c.name == category) return &c;
    if (c.name == "*") fallback = &c;
  }
  return fallback;
}

Status ClassifierPolicy::check() const {
  std::set<std::string> names;
  for (const auto& c : categories) {
    if (c.name.empty()) return fail(ErrorCode::kInvalidArgument, "classifier category has no name");
    if (!names.insert(c.name).second) {
      return fail(ErrorCode::kInvalidArgument, "classifier category '" + c.name + "' twice");
    }
    if (!(c.review_at >= 0 && c.review_at <= c.block_at && c.block_at <= 1)) {
      return fail(ErrorCode::kInvalidArgument,
                  "classifier category '" + c.name + "': need 0 <= review_at <= block_at <= 1");
    }
  }
  return {};
}

namespace {

TextMatch whole_text_match(std::string term, std::string category, MatchAction action,
                           std::uint32_t text_size) {
  return TextMatch{std::move(term), std::move(category), action, 0, text_size, 0, false};
}

}  // namespace

std::vector<TextMatch> classifier_matches(const ClassifierPolicy& policy,
                                          const Result<ClassifierScores>& answer,
                                          std::uint32_t text_size) {
  std::vector<TextMatch> out;
  if (!answer) {
    for (const auto& c : policy.categories) {
      if (c.when_unavailable == Decision::kPass) continue;
      out.push_back(whole_text_match(
          "classifier_unavailable", c.name,
          c.when_unavailable == Decision::kBlock ? MatchAction::kBlock : MatchAction::kReview,
          text_size));
    }
    return out;
  }
  for (const auto& [category, score] : answer->scores) {
    const auto* rule = policy.find(category);
    if (rule == nullptr) continue;  // a category the provider did not ask to act on
    if (score >= rule->block_at) {
      out.push_back(whole_text_match("classifier", category, MatchAction::kBlock, text_size));
    } else if (score >= rule->review_at) {
      out.push_back(whole_text_match("classifier", category, MatchAction::kReview, text_size));
    }
  }
  return out;
}

void add_matches(TextDecision& decision, const std::vector<TextMatch>& matches) {
  for (const auto& m : matches) {
    decision.matches.push_back(m);
    const auto d = m.action == MatchAction::kBlock    ? Decision::kBlock
                   : m.action == MatchAction::kReview ? Decision::kReview
                                                      : Decision::kPass;
    decision.decision = std::max(decision.decision, d);
  }
}

}  // namespace synthgate::moderation
