#include "server/sse_event_reader.hpp"

#include <gtest/gtest.h>

namespace synthgate::server {
namespace {

std::vector<SseEvent> read_in_pieces(std::string_view bytes, std::size_t piece) {
  SseEventReader reader;
  std::vector<SseEvent> out;
  for (std::size_t i = 0; i < bytes.size(); i += piece) {
    auto events = reader.feed(bytes.substr(i, piece));
    EXPECT_TRUE(events);
    if (events) out.insert(out.end(), events->begin(), events->end());
  }
  for (auto& e : reader.finish()) out.push_back(e);
  return out;
}

TEST(SseEventReader, ReadsEventsHoweverTheBytesAreCut) {
  const std::string bytes =
      ": keep-alive\n\n"
      "data: {\"a\":1}\r\n\r\n"
      "event: message\rdata: first\rdata:second\r\r"
      "id: 7\nretry: 100\ndata: [DONE]\n\n";
  const std::vector<SseEvent> expected = {
      {"", "{\"a\":1}"}, {"message", "first\nsecond"}, {"", "[DONE]"}};
  for (std::size_t piece = 1; piece <= bytes.size(); ++piece) {
    EXPECT_EQ(read_in_pieces(bytes, piece), expected) << "pieces of " << piece;
  }
}

TEST(SseEventReader, GivesAnUnterminatedLastEventAtFinish) {
  SseEventReader reader;
  auto events = reader.feed("data: tail");
  ASSERT_TRUE(events);
  EXPECT_TRUE(events->empty());
  EXPECT_EQ(reader.finish(), (std::vector<SseEvent>{{"", "tail"}}));
}

TEST(SseEventReader, RefusesAnEventLongerThanTheLimit) {
  SseEventReader reader(64);
  EXPECT_TRUE(reader.feed("data: " + std::string(40, 'x') + "\n"));
  auto refused = reader.feed("data: " + std::string(40, 'y') + "\n");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("64"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::server
