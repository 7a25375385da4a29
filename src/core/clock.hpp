#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace synthgate {

using TimePoint = std::chrono::system_clock::time_point;

// The one door to wall-clock time, so tests can drive it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told; safe to read from several threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : micros_(to_micros(start)) {}
  TimePoint now() const override {
    return TimePoint(std::chrono::microseconds(micros_.load(std::memory_order_acquire)));
  }
  void set(TimePoint t) { micros_.store(to_micros(t), std::memory_order_release); }
  void advance(std::chrono::microseconds by) {
    micros_.fetch_add(by.count(), std::memory_order_acq_rel);
  }

 private:
  static std::int64_t to_micros(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  }
  std::atomic<std::int64_t> micros_;
};

// Milliseconds since the Unix epoch.
inline std::int64_t unix_millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace synthgate
