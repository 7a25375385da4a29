#include "metadata/aigc_record.hpp"

#include <nlohmann/json.hpp>

#include "metadata/provider_code.hpp"

namespace synthgate::metadata {

namespace {

struct Field {
  const char* name;
  std::string AigcRecord::*member;
};

// Annex E's order, which the JSON keeps.
constexpr Field kFields[] = {
    {"Label", &AigcRecord::label},
    {"ContentProducer", &AigcRecord::content_producer},
    {"ProduceID", &AigcRecord::produce_id},
    {"ReservedCode1", &AigcRecord::reserved_code1},
    {"ContentPropagator", &AigcRecord::content_propagator},
    {"PropagateID", &AigcRecord::propagate_id},
    {"ReservedCode2", &AigcRecord::reserved_code2},
};

// Annex E j): single-byte printable characters 0x21-0x7E. Readers differ on '"' and '\\'
// (they need escaping in JSON), so SynthGate never writes them.
bool printable(std::string_view value, std::string& why) {
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c > 0x7e) {
      why = "has a character outside 0x21-0x7E";
      return false;
    }
    if (c == '"' || c == '\\') {
      why = "has a quote or backslash";
      return false;
    }
  }
  return true;
}

void check_party(std::string_view field, const std::string& value, RecordFindings& out) {
  if (value.empty()) return;
  const ProviderCodeCheck code = check_provider_code(value);
  if (!code.is_code) {
    out.warnings.push_back(std::string(field) + " is a name, not a 27-character provider code");
  } else if (!code.check_character_ok) {
    out.warnings.push_back(std::string(field) + ": " + code.problems.front());
  }
}

}  // namespace

std::string AigcRecord::to_json() const {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (const Field& f : kFields) object[f.name] = this->*f.member;
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<AigcRecord> AigcRecord::from_json(std::string_view text) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return fail(ErrorCode::kInvalidArgument, "the AIGC label is not a JSON object");
  }
  const nlohmann::json* object = &parsed;
  if (auto it = parsed.find("AIGC"); it != parsed.end()) {
    if (!it->is_object()) return fail(ErrorCode::kInvalidArgument, "AIGC is not a JSON object");
    object = &*it;
  }
  AigcRecord record;
  for (const Field& f : kFields) {
    auto it = object->find(f.name);
    if (it == object->end() || it->is_null()) continue;
    if (!it->is_string()) {
      return fail(ErrorCode::kInvalidArgument,
                  std::string("AIGC field ") + f.name + " is not a string");
    }
    record.*f.member = it->get<std::string>();
  }
  return record;
}

RecordFindings check_record(const AigcRecord& record) {
  RecordFindings out;
  if (record.label != "1" && record.label != "2" && record.label != "3") {
    out.errors.push_back("Label must be 1 (generated), 2 (possibly) or 3 (suspected), not \"" +
                         record.label + "\"");
  }
  if (record.content_producer.empty() && record.content_propagator.empty()) {
    out.errors.push_back("a label names a ContentProducer or a ContentPropagator");
  }
  if (!record.content_producer.empty() && record.produce_id.empty()) {
    out.errors.push_back("ProduceID is required with a ContentProducer");
  }
  if (!record.content_propagator.empty() && record.propagate_id.empty()) {
    out.errors.push_back("PropagateID is required with a ContentPropagator");
  }
  for (const Field& f : kFields) {
    std::string why;
    if (!printable(record.*f.member, why)) out.errors.push_back(std::string(f.name) + " " + why);
  }
  check_party("ContentProducer", record.content_producer, out);
  check_party("ContentPropagator", record.content_propagator, out);
  return out;
}

}  // namespace synthgate::metadata
