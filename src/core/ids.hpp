#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/secure_random.hpp"

namespace synthgate {

// A 128-bit UUID (RFC 9562). Records use version 7: time-ordered, so ids sort by creation.
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};

  // 8-4-4-4-12 lowercase form.
  std::string to_string() const;
  static Result<Uuid> parse(std::string_view text);
  int version() const { return bytes[6] >> 4; }
  // Milliseconds since the Unix epoch carried by a version 7 UUID.
  std::int64_t unix_millis() const;

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;
};

// The identifier a generated output carries in its metadata (ProduceID), watermark and
// records: a UUIDv7 written as 26 characters of Crockford base32, so it is short, case-free
// and safe in file names, URLs and XMP.
struct ContentId {
  Uuid uuid;

  std::string to_string() const;
  static Result<ContentId> parse(std::string_view text);
  friend bool operator==(const ContentId&, const ContentId&) = default;
};

// Makes UUIDv7 values that strictly increase within one generator, even when the clock
// stands still or steps back (RFC 9562 §6.2 method 1: a 12-bit counter seeded at random).
class IdGenerator {
 public:
  IdGenerator(const Clock& clock, RandomSource& random) : clock_(clock), random_(random) {}

  Uuid next_uuid();
  ContentId next_content_id() { return ContentId{next_uuid()}; }

 private:
  const Clock& clock_;
  RandomSource& random_;
  std::mutex mutex_;
  std::int64_t last_millis_ = -1;
  std::uint32_t counter_ = 0;
};

}  // namespace synthgate
