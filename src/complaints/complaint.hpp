#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::complaints {

// received -> acknowledged -> under_review -> actioned | rejected -> closed; the user whose
// content was actioned may appeal (actioned or closed-after-action -> appealed -> under_review).
enum class ComplaintState {
  kReceived,
  kAcknowledged,
  kUnderReview,
  kActioned,
  kRejected,
  kClosed,
  kAppealed,
};

std::string_view state_name(ComplaintState state);
Result<ComplaintState> parse_state(std::string_view name);
// Whether the workflow allows `from` -> `to` (a closed case may be appealed only when it was
// actioned: `outcome` is the last of actioned/rejected).
bool transition_allowed(ComplaintState from, ComplaintState to, std::string_view outcome);
// No time limit runs once a decision is made.
bool is_decided(ComplaintState state);

// The reasons a complaint may give; the names are stored and published.
const std::vector<std::string>& complaint_categories();
bool is_category(std::string_view name);

struct Complaint {
  std::string id;
  std::string tracking_code;  // what the complainant holds; shows the public status
  std::string category;
  std::string description;
  std::string url;
  // Personal data, sealed in the vault: filled only on intake and by
  // ComplaintRecords::contact(); never logged, never on a public answer.
  std::string contact;
  bool has_contact = false;
  ComplaintState state = ComplaintState::kReceived;
  std::string outcome;  // actioned or rejected, once decided
  std::string assignee;
  std::int64_t received_ms = 0;
  std::optional<std::int64_t> acknowledged_ms;
  std::optional<std::int64_t> resolved_ms;
  std::optional<std::int64_t> closed_ms;
  std::optional<std::int64_t> escalated_ms;
  std::optional<std::string> attachment_sha256;
  std::optional<std::string> attachment_pdq;   // hex, images
  std::optional<std::string> attachment_type;  // as sniffed: png, jpeg, mp4, pdf, ...
  // What detection of the attachment traced it to (ProduceID or watermark payload).
  std::optional<std::string> content_id;
  std::optional<std::string> admission_id;
  std::optional<std::string> user_id;
  std::int64_t duplicates = 0;  // later intakes of the same file merged into this one
  std::uint64_t audit_index = 0;
};

// One line of a case's history: a transition, a note, an action, an assignment, ...
struct ComplaintEvent {
  std::string id;
  std::string complaint_id;
  std::string kind;  // received, transition, note, assignment, action, escalation, duplicate
  std::string from_state;
  std::string to_state;
  std::string actor;
  std::string text;     // a note, or the action's summary
  std::string details;  // JSON object
  std::int64_t created_ms = 0;
  std::uint64_t audit_index = 0;
};

}  // namespace synthgate::complaints
