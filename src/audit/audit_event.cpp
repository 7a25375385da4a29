#include "audit/audit_event.hpp"

#include <array>
#include <nlohmann/json.hpp>

namespace synthgate::audit {

namespace {

using nlohmann::json;

struct TypeName {
  EventType type;
  std::string_view name;
};

constexpr std::array<TypeName, 15> kTypeNames = {{
    {EventType::kUserRegistered, "user_registered"},
    {EventType::kUserVerified, "user_verified"},
    {EventType::kUserSuspended, "user_suspended"},
    {EventType::kUserReinstated, "user_reinstated"},
    {EventType::kAdmissionDecided, "admission_decided"},
    {EventType::kOutputLabelled, "output_labelled"},
    {EventType::kModerationDecided, "moderation_decided"},
    {EventType::kConsentGranted, "consent_granted"},
    {EventType::kConsentRevoked, "consent_revoked"},
    {EventType::kConsentSubjectAdded, "consent_subject_added"},
    {EventType::kComplaintAction, "complaint_action"},
    {EventType::kPersonalDataRead, "personal_data_read"},
    {EventType::kConfigurationChanged, "configuration_changed"},
    {EventType::kOperatorNote, "operator_note"},
    {EventType::kAuditPurged, "audit_purged"},
}};

constexpr int kLeafVersion = 1;

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Status check_map(const std::map<std::string, std::string>& map, std::string_view field) {
  for (const auto& [key, value] : map) {
    if (!valid_key(key)) {
      return fail(ErrorCode::kInvalidArgument, "audit event " + std::string(field) + " key \"" +
                                                   key + "\" is not [a-z0-9_]{1,64}");
    }
  }
  return {};
}

Result<std::map<std::string, std::string>> read_map(const json& object, std::string_view field) {
  std::map<std::string, std::string> out;
  if (!object.is_object()) return fail(ErrorCode::kInvalidArgument, std::string(field));
  for (const auto& [key, value] : object.items()) {
    if (!value.is_string()) {
      return fail(ErrorCode::kInvalidArgument,
                  "leaf field " + std::string(field) + "." + key + " is not a string");
    }
    out.emplace(key, value.get<std::string>());
  }
  return out;
}

}  // namespace

std::string_view event_type_name(EventType type) {
  for (const auto& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  return "unknown";
}

Result<EventType> parse_event_type(std::string_view name) {
  for (const auto& entry : kTypeNames) {
    if (entry.name == name) return entry.type;
  }
  return fail(ErrorCode::kInvalidArgument,
              "unknown audit event type \"" + std::string(name) + "\"");
}

const std::vector<EventType>& all_event_types() {
  static const std::vector<EventType> types = [] {
    std::vector<EventType> out;
    for (const auto& entry : kTypeNames) out.push_back(entry.type);
    return out;
  }();
  return types;
}

Result<Bytes> encode_leaf(const AuditEvent& event) {
  if (event.actor.empty())
    return fail(ErrorCode::kInvalidArgument, "an audit event needs an actor");
  for (const auto* map : {&event.subjects, &event.content_hashes, &event.details}) {
    if (auto ok = check_map(*map, map == &event.subjects         ? "subjects"
                                  : map == &event.content_hashes ? "content_hashes"
                                                                 : "details");
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  // nlohmann's object is a std::map: keys come out sorted by their bytes, which for the
  // ASCII keys allowed here is also RFC 8785's order.
  json leaf = json::object();
  leaf["v"] = kLeafVersion;
  leaf["type"] = std::string(event_type_name(event.type));
  leaf["time_ms"] = unix_millis(event.time);
  leaf["actor"] = event.actor;
  if (event.user_id) leaf["user_id"] = *event.user_id;
  if (event.content_id) leaf["content_id"] = *event.content_id;
  if (!event.subjects.empty()) leaf["subjects"] = event.subjects;
  if (!event.content_hashes.empty()) leaf["content_hashes"] = event.content_hashes;
  if (!event.labels.empty()) leaf["labels"] = event.labels;
  if (!event.details.empty()) leaf["details"] = event.details;
  std::string text;
  try {
    text = leaf.dump();  // strict: text that is not UTF-8 is refused, never replaced
  } catch (const json::exception&) {
    return fail(ErrorCode::kInvalidArgument, "an audit event field is not valid UTF-8");
  }
  return Bytes(text.begin(), text.end());
}

Result<AuditEvent> decode_leaf(ByteView leaf) {
  const auto refuse = [](const std::string& why) {
    return fail(ErrorCode::kInvalidArgument, "audit leaf: " + why);
  };
  json doc = json::parse(as_chars(leaf), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return refuse("not a JSON object");
  static const std::array<std::string_view, 10> kKnown = {
      "v",          "type",     "time_ms",        "actor",  "user_id",
      "content_id", "subjects", "content_hashes", "labels", "details"};
  for (const auto& [key, value] : doc.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      return refuse("unknown field \"" + key + "\"");
    }
  }
  if (!doc.contains("v") || !doc["v"].is_number_integer() || doc["v"].get<int>() != kLeafVersion) {
    return refuse("version is not 1");
  }
  AuditEvent event;
  if (!doc.contains("type") || !doc["type"].is_string()) return refuse("no type");
  auto type = parse_event_type(doc["type"].get<std::string>());
  if (!type) return tl::unexpected(type.error());
  event.type = *type;
  if (!doc.contains("time_ms") || !doc["time_ms"].is_number_integer()) return refuse("no time_ms");
  event.time = TimePoint(std::chrono::milliseconds(doc["time_ms"].get<std::int64_t>()));
  if (!doc.contains("actor") || !doc["actor"].is_string()) return refuse("no actor");
  event.actor = doc["actor"].get<std::string>();
  for (const char* field : {"user_id", "content_id"}) {
    if (!doc.contains(field)) continue;
    if (!doc[field].is_string()) return refuse(std::string(field) + " is not a string");
    (std::string_view(field) == "user_id" ? event.user_id : event.content_id) =
        doc[field].get<std::string>();
  }
  if (doc.contains("subjects")) {
    auto m = read_map(doc["subjects"], "subjects");
    if (!m) return tl::unexpected(m.error());
    event.subjects = std::move(*m);
  }
  if (doc.contains("content_hashes")) {
    auto m = read_map(doc["content_hashes"], "content_hashes");
    if (!m) return tl::unexpected(m.error());
    event.content_hashes = std::move(*m);
  }
  if (doc.contains("details")) {
    auto m = read_map(doc["details"], "details");
    if (!m) return tl::unexpected(m.error());
    event.details = std::move(*m);
  }
  if (doc.contains("labels")) {
    if (!doc["labels"].is_array()) return refuse("labels is not an array");
    for (const auto& label : doc["labels"]) {
      if (!label.is_string()) return refuse("a label is not a string");
      event.labels.push_back(label.get<std::string>());
    }
  }
  // Canonical form only: the bytes must be exactly what encode_leaf writes.
  auto again = encode_leaf(event);
  if (!again) return tl::unexpected(again.error());
  if (!std::equal(again->begin(), again->end(), leaf.begin(), leaf.end())) {
    return refuse("not in canonical form");
  }
  return event;
}

}  // namespace synthgate::audit
