#include "metadata/implicit_label.hpp"

#include "metadata/format_handler.hpp"
#include "metadata/xmp_packet.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kSignaturePrefix = "sg1:";

Status require_valid(const AigcRecord& record) {
  const RecordFindings findings = check_record(record);
  if (!findings.ok()) return fail(ErrorCode::kInvalidArgument, findings.errors.front());
  return {};
}

// The bytes the producer signs: a domain tag, the producer fields, the content digest.
std::string signed_message(const AigcRecord& r, const Sha256Digest& content) {
  return "SynthGate AIGC ReservedCode1 v1\n" + r.label + "\n" + r.content_producer + "\n" +
         r.produce_id + "\n" + hex_encode(content) + "\n";
}

LabelStyle style_for(const WriteOptions& options) {
  return LabelStyle{options.digital_source_type.empty() ? std::string(kTrainedAlgorithmicMedia)
                                                        : options.digital_source_type};
}
}  // namespace

Result<LabelReading> read_label(ByteView file) {
  auto handler = handler_for(file);
  if (!handler) return tl::unexpected(handler.error());
  auto labels = (*handler)->read_labels(file);
  if (!labels) return tl::unexpected(labels.error());
  LabelReading reading{std::string((*handler)->name()), std::nullopt, labels->size()};
  if (!labels->empty()) {
    auto record = AigcRecord::from_json(labels->front());
    if (!record) return tl::unexpected(record.error());
    reading.record = std::move(*record);
  }
  return reading;
}

Result<Bytes> write_label(ByteView file, const AigcRecord& record, const WriteOptions& options) {
  if (auto ok = require_valid(record); !ok) return tl::unexpected(ok.error());
  auto handler = handler_for(file);
  if (!handler) return tl::unexpected(handler.error());
  return (*handler)->write_label(file, record.to_json(), style_for(options));
}

Result<Bytes> write_propagation(ByteView file, const AigcRecord& propagation,
                                const WriteOptions& options) {
  auto reading = read_label(file);
  if (!reading) return tl::unexpected(reading.error());
  AigcRecord merged = reading->record.value_or(AigcRecord{});
  if (merged.label.empty()) merged.label = propagation.label;
  merged.content_propagator = propagation.content_propagator;
  merged.propagate_id = propagation.propagate_id;
  merged.reserved_code2 = propagation.reserved_code2;
  return write_label(file, merged, options);
}

Result<std::string> producer_signature(ByteView file, const AigcRecord& record,
                                       const Ed25519SigningKey& key) {
  auto handler = handler_for(file);
  if (!handler) return tl::unexpected(handler.error());
  auto digest = (*handler)->content_digest(file);
  if (!digest) return tl::unexpected(digest.error());
  const auto signature = key.sign(as_bytes(signed_message(record, *digest)));
  return std::string(kSignaturePrefix) + base64_encode(signature);
}

std::string_view integrity_name(Integrity integrity) {
  switch (integrity) {
    case Integrity::kIntact:
      return "intact";
    case Integrity::kAltered:
      return "altered";
    case Integrity::kUnsigned:
      return "unsigned";
  }
  return "unsigned";
}

Result<Integrity> verify_label(ByteView file, const Ed25519PublicKey& key) {
  auto handler = handler_for(file);
  if (!handler) return tl::unexpected(handler.error());
  auto reading = read_label(file);
  if (!reading) return tl::unexpected(reading.error());
  if (!reading->record || !reading->record->reserved_code1.starts_with(kSignaturePrefix)) {
    return Integrity::kUnsigned;
  }
  auto raw = base64_decode(
      std::string_view(reading->record->reserved_code1).substr(kSignaturePrefix.size()));
  if (!raw || raw->size() != 64) return Integrity::kAltered;
  Ed25519Signature signature{};
  std::copy(raw->begin(), raw->end(), signature.begin());
  auto digest = (*handler)->content_digest(file);
  if (!digest) return tl::unexpected(digest.error());
  const bool ok =
      ed25519_verify(key, as_bytes(signed_message(*reading->record, *digest)), signature);
  return ok ? Integrity::kIntact : Integrity::kAltered;
}

}  // namespace synthgate::metadata
