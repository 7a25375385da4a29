#pragma once

#include <cstdint>
#include <span>

#include "core/secure_random.hpp"

namespace synthgate::testing {

// Deterministic bytes for tests: a fixed value, or a counter when `value` is negative.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(int value = -1) : value_(value) {}
  void fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = static_cast<std::uint8_t>(value_ >= 0 ? value_ : next_++);
  }

 private:
  int value_;
  std::uint8_t next_ = 0;
};

}  // namespace synthgate::testing
