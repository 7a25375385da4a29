#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/secret_bytes.hpp"

namespace synthgate::watermark {

// The message is the 64-bit payload followed by a 32-bit keyed check (the first 32 bits of
// HMAC-SHA256(key, payload)), convolutionally coded. A read counts only when the check
// matches, so a misread or an unmarked image passes with probability 2^-32 per attempt.
inline constexpr std::size_t kPayloadBits = 64;
inline constexpr std::size_t kCheckBits = 32;
inline constexpr std::size_t kMessageBits = kPayloadBits + kCheckBits;
inline constexpr std::size_t kCodedBits = 3 * (kMessageBits + 6);
// Candidate messages tried against the check per decode (list Viterbi, best first): a decode
// of noise passes with probability kDecodeList * 2^-32.
inline constexpr std::size_t kDecodeList = 16;

std::vector<std::uint8_t> encode_payload(std::uint64_t payload, const SecretBytes& key);

struct DecodedPayload {
  bool valid = false;  // the keyed check matched
  std::uint64_t payload = 0;
  int bit_errors = 0;       // coded bits whose sign disagreed with the decoded message
  double confidence = 0.0;  // normalised correlation of the soft values with it, 0..1
};

// `soft` holds kCodedBits values, positive meaning 1. The kDecodeList likeliest messages are
// tried in turn; the first whose check matches is the read.
DecodedPayload decode_payload(std::span<const float> soft, const SecretBytes& key);

}  // namespace synthgate::watermark
