#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::audit {

// What happened. The names are the `type` field of a leaf; never rename one.
enum class EventType {
  kUserRegistered,
  kUserVerified,
  kUserSuspended,
  kUserReinstated,
  kAdmissionDecided,
  kOutputLabelled,
  kModerationDecided,
  kConsentGranted,
  kConsentRevoked,
  kConsentSubjectAdded,  // a real person whose face or voice may be used was registered
  kComplaintAction,
  kPersonalDataRead,
  kConfigurationChanged,
  kOperatorNote,  // a person's note: a manual takedown, a regulator's request
  kAuditPurged,   // payloads older than the retention period were purged
};

std::string_view event_type_name(EventType type);
Result<EventType> parse_event_type(std::string_view name);
const std::vector<EventType>& all_event_types();

// One audit event. Maps keep their keys sorted, which is part of what makes the leaf
// bytes canonical. Keys of maps are [a-z0-9_]+; values are UTF-8 text.
struct AuditEvent {
  EventType type = EventType::kOperatorNote;
  TimePoint time{};   // milliseconds are kept; the epoch means "now" to AuditLog::append
  std::string actor;  // who acted: a user id, "system", an operator's name, an API key id
  std::optional<std::string> user_id;                 // the user the event is about
  std::optional<std::string> content_id;              // the content it is about
  std::map<std::string, std::string> subjects;        // other ids: ticket, consent, complaint
  std::map<std::string, std::string> content_hashes;  // algorithm -> hex digest
  std::vector<std::string> labels;                    // labels applied to the content
  std::map<std::string, std::string> details;         // decision, reason, text, ...

  friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

// The leaf bytes: canonical JSON (docs/audit-log.md): one object, keys sorted, no
// whitespace, only strings and integers, empty fields left out, "v": 1. The same event
// always gives the same bytes.
Result<Bytes> encode_leaf(const AuditEvent& event);

// Reads leaf bytes back, refusing anything encode_leaf would not have written byte for
// byte (so two different leaves never decode to the same event).
Result<AuditEvent> decode_leaf(ByteView leaf);

}  // namespace synthgate::audit
