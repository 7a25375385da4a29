#include "pipeline/content_propagator.hpp"

#include <gtest/gtest.h>

#include "core/file_io.hpp"
#include "metadata/implicit_label.hpp"
#include "support/detection_fixtures.hpp"
#include "support/temp_dir.hpp"

namespace synthgate::pipeline {
namespace {

using testing::TempDir;

constexpr const char* kPlatform = "001191440300708461136T2APP1";

class ContentPropagatorTest : public ::testing::Test {
 protected:
  Result<PropagationOutcome> propagate(const Bytes& file, bool declared_ai = false) {
    testing::write_bytes(in_, file);
    return propagate_file(in_, out_, {&verify_key_, &watermark_key_}, platform_key_,
                          {kPlatform, "PROP-0001", declared_ai});
  }
  metadata::AigcRecord written() {
    auto reading = metadata::read_label_file(out_);
    EXPECT_TRUE(reading) << reading.error().message;
    EXPECT_EQ(reading->count, 1u);
    return reading->record.value_or(metadata::AigcRecord{});
  }

  TempDir dir_;
  std::filesystem::path in_ = dir_ / "in.bin";
  std::filesystem::path out_ = dir_ / "out.bin";
  SecretBytes watermark_key_ = testing::test_watermark_key();
  Ed25519SigningKey producer_key_ = testing::test_metadata_key();
  Ed25519PublicKey verify_key_ = producer_key_.public_key();
  Ed25519SigningKey platform_key_ = testing::test_metadata_key(3);
};

TEST_F(ContentPropagatorTest, KeepsTheProducersLabelAndAddsThePlatformsFields) {
  const Bytes file =
      testing::producer_labelled(testing::encode(testing::test_photo(), ".png"), producer_key_);
  const auto before = metadata::read_label(file).value().record.value();
  auto outcome = propagate(file);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->detection.verdict, Verdict::kConfirmed);
  const auto record = written();
  EXPECT_EQ(record.label, "1");
  EXPECT_EQ(record.content_producer, before.content_producer);
  EXPECT_EQ(record.produce_id, before.produce_id);
  EXPECT_EQ(record.reserved_code1, before.reserved_code1);
  EXPECT_EQ(record.content_propagator, kPlatform);
  EXPECT_EQ(record.propagate_id, "PROP-0001");
  EXPECT_TRUE(record.reserved_code2.starts_with("sg2:")) << record.reserved_code2;
  EXPECT_EQ(record, outcome->record);
  // The producer's signature covers the content, not the label: still intact.
  EXPECT_EQ(metadata::verify_label_file(out_, verify_key_).value(), metadata::Integrity::kIntact);
  // ReservedCode2 is the platform's signature over the rest of the record.
  auto unsigned_record = record;
  unsigned_record.reserved_code2.clear();
  EXPECT_EQ(metadata::propagator_signature_file(out_, unsigned_record, platform_key_).value(),
            record.reserved_code2);
}

TEST_F(ContentPropagatorTest, WithoutALabelDeclaredIsTwoAndTracesAreThree) {
  auto declared = propagate(testing::encode(testing::test_photo(), ".png"), true);
  ASSERT_TRUE(declared) << declared.error().message;
  EXPECT_EQ(declared->detection.verdict, Verdict::kPossible);
  EXPECT_EQ(written().label, "2");
  EXPECT_EQ(written().content_producer, "");
  EXPECT_EQ(written().content_propagator, kPlatform);

  auto traced = propagate(testing::watermarked_png(watermark_key_));
  ASSERT_TRUE(traced) << traced.error().message;
  EXPECT_EQ(traced->detection.verdict, Verdict::kSuspected);
  EXPECT_EQ(written().label, "3");
}

TEST_F(ContentPropagatorTest, RefusesWhenThereIsNothingToPropagate) {
  auto none = propagate(testing::encode(testing::test_photo(), ".png"));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(out_));

  // Plain text has no metadata label to carry the platform's fields.
  const std::string text = "本内容由人工智能生成\n\nHello.\n";
  auto plain = propagate(Bytes(text.begin(), text.end()));
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, ErrorCode::kUnsupportedMediaType);
}

}  // namespace
}  // namespace synthgate::pipeline
