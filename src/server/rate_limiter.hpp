#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "server/api_key_registry.hpp"

namespace synthgate::server {

// One token bucket per API key, refilled continuously at the key's rate. Thread-safe; the
// clock is passed in so tests drive time.
class RateLimiter {
 public:
  explicit RateLimiter(const Clock& clock) : clock_(clock) {}

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: until the next token, rounded up
  };

  // Takes one request from `key_id`'s bucket (a new bucket starts full).
  Decision take(std::string_view key_id, const KeyRate& rate);

 private:
  struct Bucket {
    double tokens = 0;
    TimePoint last{};
  };
  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace synthgate::server
