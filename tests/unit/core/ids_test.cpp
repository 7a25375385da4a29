#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <set>

#include "support/fixed_random.hpp"

namespace synthgate {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = TimePoint(std::chrono::milliseconds(1'767'225'600'000));  // 2026-01-01

TEST(Uuid, Version7CarriesTheTimeAndTheRfcBits) {
  ManualClock clock(kStart);
  testing::FixedRandom random;
  IdGenerator ids(clock, random);
  const Uuid id = ids.next_uuid();
  EXPECT_EQ(id.version(), 7);
  EXPECT_EQ(id.bytes[8] & 0xc0, 0x80);  // RFC 9562 variant
  EXPECT_EQ(id.unix_millis(), unix_millis(kStart));
}

TEST(Uuid, TextRoundTrips) {
  ManualClock clock(kStart);
  SecureRandom random;
  IdGenerator ids(clock, random);
  const Uuid id = ids.next_uuid();
  const std::string text = id.to_string();
  ASSERT_EQ(text.size(), 36u);
  auto parsed = Uuid::parse(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, id);
  EXPECT_FALSE(Uuid::parse("not-a-uuid"));
  EXPECT_FALSE(Uuid::parse("0192d3c0-7d1a-7c3e-9b5f-2e8a1c4d6f7g"));
}

TEST(Uuid, StrictlyIncreasesWhenTheClockStandsStillOrStepsBack) {
  ManualClock clock(kStart);
  SecureRandom random;
  IdGenerator ids(clock, random);
  Uuid previous = ids.next_uuid();
  for (int i = 0; i < 10000; ++i) {  // more than the 12-bit counter holds
    if (i == 5000) clock.advance(-2s);
    const Uuid next = ids.next_uuid();
    ASSERT_LT(previous, next) << "at " << i;
    previous = next;
  }
}

TEST(Uuid, SortsByCreationTime) {
  ManualClock clock(kStart);
  SecureRandom random;
  IdGenerator ids(clock, random);
  const Uuid first = ids.next_uuid();
  clock.advance(1ms);
  const Uuid second = ids.next_uuid();
  EXPECT_LT(first.to_string(), second.to_string());
}

TEST(ContentId, IsTwentySixBase32CharactersAndRoundTrips) {
  ManualClock clock(kStart);
  SecureRandom random;
  IdGenerator ids(clock, random);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const ContentId id = ids.next_content_id();
    const std::string text = id.to_string();
    ASSERT_EQ(text.size(), 26u);
    EXPECT_EQ(text.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz"), std::string::npos);
    auto parsed = ContentId::parse(text);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, id);
    seen.insert(text);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(ContentId, ReadsUppercaseAndLookAlikesButRefusesOverflow) {
  Uuid u;
  u.bytes.fill(0xff);
  const ContentId max{u};
  EXPECT_EQ(max.to_string(), "7zzzzzzzzzzzzzzzzzzzzzzzzz");
  auto upper = ContentId::parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  ASSERT_TRUE(upper);
  EXPECT_EQ(*upper, max);
  auto look_alike = ContentId::parse("0000000000000000000000000O");  // O reads as 0
  ASSERT_TRUE(look_alike);
  EXPECT_EQ(look_alike->to_string(), "00000000000000000000000000");
  EXPECT_FALSE(ContentId::parse("8zzzzzzzzzzzzzzzzzzzzzzzzz"));  // more than 128 bits
  EXPECT_FALSE(ContentId::parse("0000000000000000000000000u"));  // u is not Crockford
  EXPECT_FALSE(ContentId::parse("short"));
}

}  // namespace
}  // namespace synthgate
