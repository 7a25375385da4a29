#include "server/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace synthgate::server {

RateLimiter::Decision RateLimiter::take(std::string_view key_id, const KeyRate& rate) {
  if (rate.unlimited()) return {};
  const double capacity = std::max<double>(1, rate.burst);
  const TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key_id);
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(key_id), Bucket{capacity, now}).first;
  }
  Bucket& bucket = it->second;
  // A clock that steps back refills nothing (and takes nothing away).
  const std::chrono::duration<double> elapsed = std::max(now - bucket.last, TimePoint::duration{});
  bucket.tokens = std::min(capacity, bucket.tokens + elapsed.count() * rate.per_second);
  bucket.last = std::max(now, bucket.last);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return {};
  }
  const double wait = (1 - bucket.tokens) / rate.per_second;
  return {false, std::chrono::seconds(static_cast<long>(std::max(1.0, std::ceil(wait))))};
}

}  // namespace synthgate::server
