#include "complaints/complaint.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace synthgate::complaints {

namespace {

constexpr std::array<std::pair<ComplaintState, std::string_view>, 7> kStates{{
    {ComplaintState::kReceived, "received"},
    {ComplaintState::kAcknowledged, "acknowledged"},
    {ComplaintState::kUnderReview, "under_review"},
    {ComplaintState::kActioned, "actioned"},
    {ComplaintState::kRejected, "rejected"},
    {ComplaintState::kClosed, "closed"},
    {ComplaintState::kAppealed, "appealed"},
}};

}  // namespace

std::string_view state_name(ComplaintState state) {
  for (const auto& [s, name] : kStates)
    if (s == state) return name;
  return "received";
}

Result<ComplaintState> parse_state(std::string_view name) {
  for (const auto& [s, n] : kStates)
    if (n == name) return s;
  return fail(ErrorCode::kInvalidArgument,
              "unknown state " + std::string(name) +
                  " (received, acknowledged, under_review, actioned, rejected, closed, appealed)");
}

bool transition_allowed(ComplaintState from, ComplaintState to, std::string_view outcome) {
  using S = ComplaintState;
  switch (from) {
    case S::kReceived:
      return to == S::kAcknowledged;
    case S::kAcknowledged:
      return to == S::kUnderReview;
    case S::kUnderReview:
      return to == S::kActioned || to == S::kRejected;
    case S::kActioned:
      return to == S::kClosed || to == S::kAppealed;
    case S::kRejected:
      return to == S::kClosed;
    case S::kClosed:
      return to == S::kAppealed && outcome == "actioned";
    case S::kAppealed:
      return to == S::kUnderReview;
  }
  return false;
}

bool is_decided(ComplaintState state) {
  return state == ComplaintState::kActioned || state == ComplaintState::kRejected ||
         state == ComplaintState::kClosed;
}

const std::vector<std::string>& complaint_categories() {
  static const std::vector<std::string> categories{
      "illegal_content", "minors", "impersonation",         "unlabelled_ai",
      "privacy",         "fraud",  "intellectual_property", "other"};
  return categories;
}

bool is_category(std::string_view name) {
  const auto& all = complaint_categories();
  return std::find(all.begin(), all.end(), name) != all.end();
}

}  // namespace synthgate::complaints
