#include "watermark/payload_codec.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "core/digest.hpp"
#include "watermark/convolutional_code.hpp"

namespace synthgate::watermark {

namespace {

std::uint32_t keyed_check(std::uint64_t payload, const SecretBytes& key) {
  constexpr std::string_view kLabel = "synthgate watermark v1 check";
  Bytes input(kLabel.begin(), kLabel.end());
  for (int i = 7; i >= 0; --i) input.push_back(static_cast<std::uint8_t>(payload >> (8 * i)));
  const Sha256Digest mac = hmac_sha256(key, input);
  return (std::uint32_t{mac[0]} << 24) | (std::uint32_t{mac[1]} << 16) |
         (std::uint32_t{mac[2]} << 8) | std::uint32_t{mac[3]};
}

std::vector<std::uint8_t> message_bits(std::uint64_t payload, std::uint32_t check) {
  std::vector<std::uint8_t> bits;
  bits.reserve(kMessageBits);
  for (std::size_t i = 0; i < kPayloadBits; ++i) {
    bits.push_back(static_cast<std::uint8_t>((payload >> (kPayloadBits - 1 - i)) & 1U));
  }
  for (std::size_t i = 0; i < kCheckBits; ++i) {
    bits.push_back(static_cast<std::uint8_t>((check >> (kCheckBits - 1 - i)) & 1U));
  }
  return bits;
}

}  // namespace

std::vector<std::uint8_t> encode_payload(std::uint64_t payload, const SecretBytes& key) {
  return convolutional_encode(message_bits(payload, keyed_check(payload, key)));
}

DecodedPayload decode_payload(std::span<const float> soft, const SecretBytes& key) {
  DecodedPayload out;
  if (soft.size() != kCodedBits) return out;
  std::vector<std::uint8_t> bits;
  std::uint64_t payload = 0;
  for (auto& candidate : list_viterbi_decode(soft, kMessageBits, kDecodeList)) {
    std::uint64_t p = 0;
    for (std::size_t i = 0; i < kPayloadBits; ++i) p = (p << 1) | candidate[i];
    std::uint32_t check = 0;
    for (std::size_t i = kPayloadBits; i < kMessageBits; ++i) check = (check << 1) | candidate[i];
    if (check == keyed_check(p, key)) {
      bits = std::move(candidate);
      payload = p;
      break;
    }
  }
  if (bits.empty()) return out;

  const std::vector<std::uint8_t> coded = convolutional_encode(bits);
  double agree = 0.0;
  double total = 0.0;
  for (std::size_t i = 0; i < kCodedBits; ++i) {
    const double s = coded[i] ? soft[i] : -soft[i];
    if (s <= 0.0) ++out.bit_errors;
    agree += s;
    total += std::abs(soft[i]);
  }
  out.valid = true;
  out.payload = payload;
  out.confidence = total > 0.0 ? std::clamp(agree / total, 0.0, 1.0) : 0.0;
  return out;
}

}  // namespace synthgate::watermark
