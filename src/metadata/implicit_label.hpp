#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/ed25519.hpp"
#include "core/encoding.hpp"
#include "core/result.hpp"
#include "metadata/aigc_record.hpp"

namespace synthgate::metadata {

// What a file says about itself.
struct LabelReading {
  std::string format;                // "jpeg", "png", ...
  std::optional<AigcRecord> record;  // the first label, if any
  std::size_t count = 0;             // how many labels the file carries (one is right)
};

// Reads the AIGC label of a file whose type is read from its bytes.
Result<LabelReading> read_label(ByteView file);

struct WriteOptions {
  std::string digital_source_type;  // empty: trainedAlgorithmicMedia
};

// The file carrying exactly `record` as its label. The record must pass check_record();
// an existing label is replaced.
Result<Bytes> write_label(ByteView file, const AigcRecord& record,
                          const WriteOptions& options = {});

// A platform's write: keeps the producer fields of the label already there and sets the
// propagator fields (Label, too, if the file had no label).
Result<Bytes> write_propagation(ByteView file, const AigcRecord& propagation,
                                const WriteOptions& options = {});

// ReservedCode1 as SynthGate fills it: "sg1:" + base64 of an Ed25519 signature over the
// producer fields and the SHA-256 of the file without its label, so the provider can later
// tell its own untouched output from an edited or forged one.
Result<std::string> producer_signature(ByteView file, const AigcRecord& record,
                                       const Ed25519SigningKey& key);

// ReservedCode2 as a SynthGate platform fills it when it propagates a file (Labeling Measures
// Art. 6): "sg2:" + base64 of an Ed25519 signature over the whole record except
// ReservedCode2 and the SHA-256 of the file without its label, so the platform can later
// tell its own propagation record from an edited one.
Result<std::string> propagator_signature(ByteView file, const AigcRecord& record,
                                         const Ed25519SigningKey& key);

enum class Integrity { kIntact, kAltered, kUnsigned };
std::string_view integrity_name(Integrity integrity);

// Checks a file's ReservedCode1 against the provider's public key.
Result<Integrity> verify_label(ByteView file, const Ed25519PublicKey& key);

// The same, on files named by path: formats with a streaming handler (MP4/MOV/M4A) are read
// piece by piece and never held whole in memory; OUT is written atomically (a refused input
// leaves nothing behind) and IN is never modified.
Result<LabelReading> read_label_file(const std::filesystem::path& in);
Status write_label_file(const std::filesystem::path& in, const std::filesystem::path& out,
                        const AigcRecord& record, const WriteOptions& options = {});
Status write_propagation_file(const std::filesystem::path& in, const std::filesystem::path& out,
                              const AigcRecord& propagation, const WriteOptions& options = {});
Result<std::string> producer_signature_file(const std::filesystem::path& in,
                                            const AigcRecord& record, const Ed25519SigningKey& key);
Result<std::string> propagator_signature_file(const std::filesystem::path& in,
                                              const AigcRecord& record,
                                              const Ed25519SigningKey& key);
Result<Integrity> verify_label_file(const std::filesystem::path& in, const Ed25519PublicKey& key);

}  // namespace synthgate::metadata
