#include "core/ids.hpp"

#include "core/encoding.hpp"

namespace synthgate {

namespace {
constexpr char kCrockford[] = "0123456789abcdefghjkmnpqrstvwxyz";

int crockford_value(char c) {
  if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  switch (c) {  // Crockford's reading of look-alike letters
    case 'o':
      c = '0';
      break;
    case 'i':
    case 'l':
      c = '1';
      break;
    default:
      break;
  }
  for (int i = 0; i < 32; ++i) {
    if (kCrockford[i] == c) return i;
  }
  return -1;
}
}  // namespace

std::string Uuid::to_string() const {
  const std::string hex = hex_encode(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

Result<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
      text[23] != '-') {
    return fail(ErrorCode::kInvalidArgument, "not a UUID (expected 8-4-4-4-12 hex digits)");
  }
  std::string hex;
  hex.reserve(32);
  for (char c : text) {
    if (c != '-') hex.push_back(c);
  }
  auto raw = hex_decode(hex);
  if (!raw || raw->size() != 16) {
    return fail(ErrorCode::kInvalidArgument, "not a UUID (expected 8-4-4-4-12 hex digits)");
  }
  Uuid out;
  std::copy(raw->begin(), raw->end(), out.bytes.begin());
  return out;
}

std::int64_t Uuid::unix_millis() const {
  std::int64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = (ms << 8) | bytes[static_cast<std::size_t>(i)];
  return ms;
}

// 128 bits as 26 base32 digits: two leading zero bits pad the value to 130 bits.
namespace {
constexpr std::size_t kPadBits = 2;

int padded_bit(const std::array<std::uint8_t, 16>& bytes, std::size_t k) {
  if (k < kPadBits) return 0;
  k -= kPadBits;
  return (bytes[k / 8] >> (7 - k % 8)) & 1;
}
}  // namespace

std::string ContentId::to_string() const {
  std::string out(26, '0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    int digit = 0;
    for (std::size_t b = 0; b < 5; ++b) digit = (digit << 1) | padded_bit(uuid.bytes, 5 * i + b);
    out[i] = kCrockford[digit];
  }
  return out;
}

Result<ContentId> ContentId::parse(std::string_view text) {
  if (text.size() != 26) {
    return fail(ErrorCode::kInvalidArgument, "not a content id (expected 26 base32 characters)");
  }
  ContentId out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int d = crockford_value(text[i]);
    if (d < 0 || (i == 0 && d > 7)) {
      return fail(ErrorCode::kInvalidArgument,
                  "not a content id (bad character at offset " + std::to_string(i) + ")");
    }
    for (std::size_t b = 0; b < 5; ++b) {
      const std::size_t k = 5 * i + b;
      if (k < kPadBits || ((d >> (4 - b)) & 1) == 0) continue;
      const std::size_t bit = k - kPadBits;
      out.uuid.bytes[bit / 8] =
          static_cast<std::uint8_t>(out.uuid.bytes[bit / 8] | (0x80u >> (bit % 8)));
    }
  }
  return out;
}

Uuid IdGenerator::next_uuid() {
  std::array<std::uint8_t, 10> entropy{};
  random_.fill(entropy);

  std::int64_t millis = 0;
  std::uint32_t counter = 0;
  {
    std::lock_guard lock(mutex_);
    millis = synthgate::unix_millis(clock_.now());
    if (millis <= last_millis_) {
      // Same millisecond or a clock step back: stay on the last timestamp and count up;
      // when the counter runs out, borrow the next millisecond.
      millis = last_millis_;
      if (++counter_ > 0x0fff) {
        ++millis;
        counter_ = 0;
      }
    } else {
      counter_ = (static_cast<std::uint32_t>(entropy[0]) << 4 | (entropy[1] >> 4)) & 0x07ff;
    }
    last_millis_ = millis;
    counter = counter_;
  }

  Uuid id;
  for (int i = 0; i < 6; ++i) {
    id.bytes[static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>(static_cast<std::uint64_t>(millis) >> (8 * (5 - i)));
  }
  id.bytes[6] = static_cast<std::uint8_t>(0x70 | ((counter >> 8) & 0x0f));
  id.bytes[7] = static_cast<std::uint8_t>(counter & 0xff);
  id.bytes[8] = static_cast<std::uint8_t>(0x80 | (entropy[2] & 0x3f));
  for (std::size_t i = 9; i < 16; ++i) id.bytes[i] = entropy[i - 6];
  return id;
}

}  // namespace synthgate
