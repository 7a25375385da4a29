#include "server/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace synthgate::server {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, BurstThenRefusalThenRefill) {
  ManualClock clock(TimePoint(std::chrono::seconds(1000)));
  RateLimiter limiter(clock);
  const KeyRate rate{2, 3};  // 2 per second, 3 at once
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("k", rate).allowed) << i;
  auto refused = limiter.take("k", rate);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);
  clock.advance(500ms);  // one token back
  EXPECT_TRUE(limiter.take("k", rate).allowed);
  EXPECT_FALSE(limiter.take("k", rate).allowed);
  clock.advance(10s);  // full again, never above the burst
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("k", rate).allowed) << i;
  EXPECT_FALSE(limiter.take("k", rate).allowed);
}

TEST(RateLimiter, KeysHaveTheirOwnBucketsAndZeroIsUnlimited) {
  ManualClock clock(TimePoint(std::chrono::seconds(1000)));
  RateLimiter limiter(clock);
  EXPECT_TRUE(limiter.take("a", {1, 1}).allowed);
  EXPECT_FALSE(limiter.take("a", {1, 1}).allowed);
  EXPECT_TRUE(limiter.take("b", {1, 1}).allowed);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.take("c", {}).allowed);
}

TEST(RateLimiter, RetryAfterRoundsUpToWholeSeconds) {
  ManualClock clock(TimePoint(std::chrono::seconds(1000)));
  RateLimiter limiter(clock);
  const KeyRate slow{0.1, 1};  // one request every 10 s
  EXPECT_TRUE(limiter.take("k", slow).allowed);
  clock.advance(2500ms);
  auto refused = limiter.take("k", slow);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 8s);
  clock.advance(-5s);  // a clock stepping back refills nothing
  EXPECT_FALSE(limiter.take("k", slow).allowed);
}

}  // namespace
}  // namespace synthgate::server
