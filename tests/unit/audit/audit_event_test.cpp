#include "audit/audit_event.hpp"

#include <gtest/gtest.h>

#include "audit/time_text.hpp"

namespace synthgate::audit {
namespace {

AuditEvent sample() {
  AuditEvent e;
  e.type = EventType::kOutputLabelled;
  e.time = TimePoint(std::chrono::milliseconds(1767225600123));
  e.actor = "api-key:7";
  e.user_id = "u-1";
  e.content_id = "c-9";
  e.subjects = {{"ticket", "t-3"}};
  e.content_hashes = {{"sha256", "ab"}};
  e.labels = {"explicit", "metadata", "watermark"};
  e.details = {{"producer", "P1"}, {"decision", "allow"}};
  return e;
}

TEST(AuditEvent, LeafIsCanonicalJsonWithSortedKeys) {
  auto leaf = encode_leaf(sample());
  ASSERT_TRUE(leaf);
  EXPECT_EQ(std::string(leaf->begin(), leaf->end()),
            R"({"actor":"api-key:7","content_hashes":{"sha256":"ab"},"content_id":"c-9",)"
            R"("details":{"decision":"allow","producer":"P1"},"labels":["explicit","metadata",)"
            R"("watermark"],"subjects":{"ticket":"t-3"},"time_ms":1767225600123,)"
            R"("type":"output_labelled","user_id":"u-1","v":1})");
}

TEST(AuditEvent, RoundTripsAndLeavesOutEmptyFields) {
  auto leaf = encode_leaf(sample());
  auto back = decode_leaf(*leaf);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, sample());
  AuditEvent note;
  note.actor = "alice";
  note.time = TimePoint(std::chrono::milliseconds(5));
  note.details = {{"text", "takedown \"x\" \xE4\xB8\xAD\n"}};
  auto bytes = encode_leaf(note);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()),
            "{\"actor\":\"alice\",\"details\":{\"text\":\"takedown \\\"x\\\" \xE4\xB8\xAD\\n\"},"
            "\"time_ms\":5,\"type\":\"operator_note\",\"v\":1}");
  EXPECT_EQ(*decode_leaf(*bytes), note);
}

TEST(AuditEvent, RefusesLeavesThatAreNotCanonical) {
  for (std::string_view bad : {
           R"({"actor":"a","time_ms":5,"type":"operator_note","v":1} )",
           R"({"time_ms":5,"actor":"a","type":"operator_note","v":1})",
           R"({"actor":"a","time_ms":5,"type":"operator_note","v":2})",
           R"({"actor":"a","time_ms":5,"type":"no_such_type","v":1})",
           R"({"actor":"a","time_ms":5,"type":"operator_note","v":1,"extra":"x"})",
           R"({"actor":"a","labels":[],"time_ms":5,"type":"operator_note","v":1})",
           R"({"actor":"a","time_ms":"5","type":"operator_note","v":1})",
           R"({"actor":"\u0061","time_ms":5,"type":"operator_note","v":1})",
           "[]",
           "",
       }) {
    EXPECT_FALSE(decode_leaf(as_bytes(bad))) << bad;
  }
  EXPECT_TRUE(decode_leaf(as_bytes(R"({"actor":"a","time_ms":5,"type":"operator_note","v":1})")));
}

TEST(AuditEvent, RefusesBadInput) {
  AuditEvent e = sample();
  e.actor.clear();
  EXPECT_FALSE(encode_leaf(e));
  e = sample();
  e.details["Bad Key"] = "x";
  EXPECT_FALSE(encode_leaf(e));
  e = sample();
  e.details["text"] = "\xff\xfe";
  EXPECT_FALSE(encode_leaf(e));
}

TEST(AuditEvent, EveryTypeHasAStableName) {
  for (EventType type : all_event_types()) {
    EXPECT_EQ(*parse_event_type(event_type_name(type)), type);
  }
  EXPECT_EQ(event_type_name(EventType::kPersonalDataRead), "personal_data_read");
  EXPECT_EQ(event_type_name(EventType::kUserReinstated), "user_reinstated");
  EXPECT_EQ(event_type_name(EventType::kConsentSubjectAdded), "consent_subject_added");
  EXPECT_EQ(all_event_types().size(), 15u);
}

TEST(TimeText, FormatsAndParsesUtc) {
  const TimePoint t = TimePoint(std::chrono::milliseconds(1767225600123));
  EXPECT_EQ(format_time(t), "2026-01-01T00:00:00.123Z");
  EXPECT_EQ(*parse_time("2026-01-01T00:00:00.123Z"), t);
  EXPECT_EQ(*parse_time("2026-01-01"), TimePoint(std::chrono::milliseconds(1767225600000)));
  EXPECT_EQ(*parse_time("2026-01-01T00:00:01Z"),
            TimePoint(std::chrono::milliseconds(1767225601000)));
  for (std::string_view bad : {"2026-13-01", "2026-01-01T00:00:00", "2026-01-01T25:00:00Z",
                               "yesterday", "2026-02-30", "2026-01-01T00:00:00+08:00"}) {
    EXPECT_FALSE(parse_time(bad)) << bad;
  }
}

}  // namespace
}  // namespace synthgate::audit
