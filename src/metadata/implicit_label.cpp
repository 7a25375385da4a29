#include "metadata/implicit_label.hpp"

#include "metadata/format_handler.hpp"
#include "metadata/label_input.hpp"
#include "metadata/xmp_packet.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kSignaturePrefix = "sg1:";
constexpr std::string_view kPropagationPrefix = "sg2:";

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

// The bytes a platform signs: a domain tag, every field but ReservedCode2, the content digest.
std::string propagation_message(const AigcRecord& r, const Sha256Digest& content) {
  return "SynthGate AIGC ReservedCode2 v1\n" + r.label + "\n" + r.content_producer + "\n" +
         r.produce_id + "\n" + r.reserved_code1 + "\n" + r.content_propagator + "\n" +
         r.propagate_id + "\n" + hex_encode(content) + "\n";
}

LabelStyle style_for(const WriteOptions& options) {
  return LabelStyle{options.digital_source_type.empty() ? std::string(kTrainedAlgorithmicMedia)
                                                        : options.digital_source_type};
}

Result<LabelReading> read_input(const LabelInput& input) {
  auto labels = input.labels();
  if (!labels) return tl::unexpected(labels.error());
  LabelReading reading{std::string(input.handler().name()), std::nullopt, labels->size()};
  if (!labels->empty()) {
    auto record = AigcRecord::from_json(labels->front());
    if (!record) return tl::unexpected(record.error());
    reading.record = std::move(*record);
  }
  return reading;
}

Status write_input(const LabelInput& input, const AigcRecord& record, const WriteOptions& options,
                   media::ByteSink& out) {
  if (auto ok = require_valid(record); !ok) return ok;
  return input.write(record.to_json(), style_for(options), out);
}

// The label a platform's write leaves: the producer fields already there, its own fields.
Result<AigcRecord> propagated(const LabelInput& input, const AigcRecord& propagation) {
  auto reading = read_input(input);
  if (!reading) return tl::unexpected(reading.error());
  AigcRecord merged = reading->record.value_or(AigcRecord{});
  if (merged.label.empty()) merged.label = propagation.label;
  merged.content_propagator = propagation.content_propagator;
  merged.propagate_id = propagation.propagate_id;
  merged.reserved_code2 = propagation.reserved_code2;
  return merged;
}

Result<std::string> sign_input(const LabelInput& input, const AigcRecord& record,
                               const Ed25519SigningKey& key) {
  auto digest = input.digest();
  if (!digest) return tl::unexpected(digest.error());
  const auto signature = key.sign(as_bytes(signed_message(record, *digest)));
  return std::string(kSignaturePrefix) + base64_encode(signature);
}

Result<std::string> sign_propagation_input(const LabelInput& input, const AigcRecord& record,
                                           const Ed25519SigningKey& key) {
  auto digest = input.digest();
  if (!digest) return tl::unexpected(digest.error());
  const auto signature = key.sign(as_bytes(propagation_message(record, *digest)));
  return std::string(kPropagationPrefix) + base64_encode(signature);
}

Result<Integrity> verify_input(const LabelInput& input, const Ed25519PublicKey& key) {
  auto reading = read_input(input);
  if (!reading) return tl::unexpected(reading.error());
  if (!reading->record || !reading->record->reserved_code1.starts_with(kSignaturePrefix)) {
    return Integrity::kUnsigned;
  }
  auto raw = base64_decode(
      std::string_view(reading->record->reserved_code1).substr(kSignaturePrefix.size()));
  if (!raw || raw->size() != 64) return Integrity::kAltered;
  Ed25519Signature signature{};
  std::copy(raw->begin(), raw->end(), signature.begin());
  auto digest = input.digest();
  if (!digest) return tl::unexpected(digest.error());
  const bool ok =
      ed25519_verify(key, as_bytes(signed_message(*reading->record, *digest)), signature);
  return ok ? Integrity::kIntact : Integrity::kAltered;
}

Result<Bytes> write_to_bytes(const LabelInput& input, const AigcRecord& record,
                             const WriteOptions& options) {
  media::MemorySink sink;
  if (auto ok = write_input(input, record, options, sink); !ok) return tl::unexpected(ok.error());
  return std::move(sink.bytes());
}

Status write_to_file(const LabelInput& input, const AigcRecord& record, const WriteOptions& options,
                     const std::filesystem::path& out) {
  if (auto ok = require_valid(record); !ok) return ok;
  auto sink = media::AtomicFileSink::create(out);
  if (!sink) return tl::unexpected(sink.error());
  if (auto ok = write_input(input, record, options, **sink); !ok) return ok;
  return (*sink)->commit();
}
}  // namespace

Result<LabelReading> read_label(ByteView file) {
  auto input = LabelInput::from_bytes(file);
  if (!input) return tl::unexpected(input.error());
  return read_input(*input);
}

Result<Bytes> write_label(ByteView file, const AigcRecord& record, const WriteOptions& options) {
  if (auto ok = require_valid(record); !ok) return tl::unexpected(ok.error());
  auto input = LabelInput::from_bytes(file);
  if (!input) return tl::unexpected(input.error());
  return write_to_bytes(*input, record, options);
}

Result<Bytes> write_propagation(ByteView file, const AigcRecord& propagation,
                                const WriteOptions& options) {
  auto input = LabelInput::from_bytes(file);
  if (!input) return tl::unexpected(input.error());
  auto merged = propagated(*input, propagation);
  if (!merged) return tl::unexpected(merged.error());
  return write_to_bytes(*input, *merged, options);
}

Result<std::string> producer_signature(ByteView file, const AigcRecord& record,
                                       const Ed25519SigningKey& key) {
  auto input = LabelInput::from_bytes(file);
  if (!input) return tl::unexpected(input.error());
  return sign_input(*input, record, key);
}

Result<std::string> propagator_signature(ByteView file, const AigcRecord& record,
                                         const Ed25519SigningKey& key) {
  auto input = LabelInput::from_bytes(file);
  if (!input) return tl::unexpected(input.error());
  return sign_propagation_input(*input, record, key);
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
  auto input = LabelInput::from_bytes(file);
  if (!input) return tl::unexpected(input.error());
  return verify_input(*input, key);
}

Result<LabelReading> read_label_file(const std::filesystem::path& in) {
  auto input = LabelInput::from_file(in);
  if (!input) return tl::unexpected(input.error());
  return read_input(*input);
}

Status write_label_file(const std::filesystem::path& in, const std::filesystem::path& out,
                        const AigcRecord& record, const WriteOptions& options) {
  if (auto ok = require_valid(record); !ok) return ok;
  auto input = LabelInput::from_file(in);
  if (!input) return tl::unexpected(input.error());
  return write_to_file(*input, record, options, out);
}

Status write_propagation_file(const std::filesystem::path& in, const std::filesystem::path& out,
                              const AigcRecord& propagation, const WriteOptions& options) {
  auto input = LabelInput::from_file(in);
  if (!input) return tl::unexpected(input.error());
  auto merged = propagated(*input, propagation);
  if (!merged) return tl::unexpected(merged.error());
  return write_to_file(*input, *merged, options, out);
}

Result<std::string> producer_signature_file(const std::filesystem::path& in,
                                            const AigcRecord& record,
                                            const Ed25519SigningKey& key) {
  auto input = LabelInput::from_file(in);
  if (!input) return tl::unexpected(input.error());
  return sign_input(*input, record, key);
}

Result<std::string> propagator_signature_file(const std::filesystem::path& in,
                                              const AigcRecord& record,
                                              const Ed25519SigningKey& key) {
  auto input = LabelInput::from_file(in);
  if (!input) return tl::unexpected(input.error());
  return sign_propagation_input(*input, record, key);
}

Result<Integrity> verify_label_file(const std::filesystem::path& in, const Ed25519PublicKey& key) {
  auto input = LabelInput::from_file(in);
  if (!input) return tl::unexpected(input.error());
  return verify_input(*input, key);
}

}  // namespace synthgate::metadata
