#include "pipeline/content_detector.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "labels/text_label.hpp"
#include "pipeline/detection_json.hpp"
#include "support/detection_fixtures.hpp"
#include "support/temp_dir.hpp"

namespace synthgate::pipeline {
namespace {

using testing::TempDir;

class ContentDetectorTest : public ::testing::Test {
 protected:
  Result<DetectionReport> detect(const Bytes& file, bool declared_ai = false) {
    const auto path = dir_ / ("in" + std::to_string(++files_));
    testing::write_bytes(path, file);
    return detect_file(path, {&verify_key_, &watermark_key_}, {declared_ai});
  }

  TempDir dir_;
  int files_ = 0;
  SecretBytes watermark_key_ = testing::test_watermark_key();
  Ed25519SigningKey metadata_key_ = testing::test_metadata_key();
  Ed25519PublicKey verify_key_ = metadata_key_.public_key();
};

TEST(Art6Verdict, FollowsTheCasesOfArticle6StrongestFirst) {
  metadata::AigcRecord generated;
  generated.label = "1";
  metadata::AigcRecord possibly = generated;
  possibly.label = "2";
  metadata::AigcRecord suspected = generated;
  suspected.label = "3";

  EXPECT_EQ(art6_verdict(generated, false, false), Verdict::kConfirmed);
  EXPECT_EQ(art6_verdict(generated, true, true), Verdict::kConfirmed);
  EXPECT_EQ(art6_verdict(std::nullopt, true, false), Verdict::kPossible);
  EXPECT_EQ(art6_verdict(std::nullopt, true, true), Verdict::kPossible);
  EXPECT_EQ(art6_verdict(std::nullopt, false, true), Verdict::kSuspected);
  EXPECT_EQ(art6_verdict(std::nullopt, false, false), Verdict::kNone);
  // An earlier platform's label counts as what it says; a stronger case still wins.
  EXPECT_EQ(art6_verdict(possibly, false, false), Verdict::kPossible);
  EXPECT_EQ(art6_verdict(suspected, false, false), Verdict::kSuspected);
  EXPECT_EQ(art6_verdict(suspected, true, false), Verdict::kPossible);
  // A label with no valid Label value claims nothing.
  metadata::AigcRecord empty;
  EXPECT_EQ(art6_verdict(empty, false, false), Verdict::kNone);

  std::string reason;
  art6_verdict(std::nullopt, true, false, &reason);
  EXPECT_NE(reason.find("Art. 6(2)"), std::string::npos) << reason;
}

TEST_F(ContentDetectorTest, ALabelledPngIsConfirmedAndItsSignatureIntact) {
  const Bytes file =
      testing::producer_labelled(testing::encode(testing::test_photo(), ".png"), metadata_key_);
  auto report = detect(file);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kConfirmed);
  EXPECT_EQ(report->kind, "image");
  EXPECT_EQ(report->format, "png");
  ASSERT_TRUE(report->metadata.record);
  EXPECT_EQ(report->metadata.record->content_producer, testing::kTestProducer);
  EXPECT_EQ(report->metadata.count, 1u);
  ASSERT_TRUE(report->metadata.integrity);
  EXPECT_EQ(*report->metadata.integrity, metadata::Integrity::kIntact);
  EXPECT_EQ(report->produce_id(), "01JDETECTTEST0000000000000");
  EXPECT_TRUE(report->watermark.checked);
  EXPECT_FALSE(report->watermark.found);
}

TEST_F(ContentDetectorTest, AnotherProvidersKeyFindsTheSignatureAltered) {
  const Bytes file = testing::producer_labelled(testing::encode(testing::test_photo(), ".png"),
                                                testing::test_metadata_key(1));
  auto report = detect(file);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kConfirmed);  // the label still says AI-generated
  ASSERT_TRUE(report->metadata.integrity);
  EXPECT_EQ(*report->metadata.integrity, metadata::Integrity::kAltered);
}

TEST_F(ContentDetectorTest, AWatermarkedImageWithoutMetadataIsSuspected) {
  auto report = detect(testing::watermarked_png(watermark_key_));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->verdict, Verdict::kSuspected);
  EXPECT_FALSE(report->metadata.record);
  EXPECT_TRUE(report->watermark.found);
  EXPECT_EQ(report->watermark.payload, testing::kTestPayload);
  EXPECT_EQ(report->watermark_payload_hex(), "0123456789abcdef");
  EXPECT_GT(report->watermark.confidence, 0.0);
}

TEST_F(ContentDetectorTest, AWatermarkSurvivesJpegReencodingAndStaysSuspected) {
  const cv::Mat marked = cv::imdecode(testing::watermarked_png(watermark_key_), cv::IMREAD_COLOR);
  auto report = detect(testing::encode(marked, ".jpg", 75));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->format, "jpeg");
  EXPECT_EQ(report->verdict, Verdict::kSuspected);
  EXPECT_TRUE(report->watermark.found);
  EXPECT_EQ(report->watermark_payload_hex(), "0123456789abcdef");
}

TEST_F(ContentDetectorTest, AnotherWatermarkKeyFindsNothing) {
  const SecretBytes other = testing::test_watermark_key(8);
  auto report = detect_file(
      [&] {
        const auto path = dir_ / "marked.png";
        testing::write_bytes(path, testing::watermarked_png(watermark_key_));
        return path;
      }(),
      {&verify_key_, &other});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->watermark.found);
  EXPECT_EQ(report->verdict, Verdict::kNone);
}

TEST_F(ContentDetectorTest, APlainImageIsNoneAndDeclaredItIsPossible) {
  const Bytes plain = testing::encode(testing::test_photo(), ".png");
  auto none = detect(plain);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_EQ(none->verdict, Verdict::kNone);
  EXPECT_TRUE(none->watermark.checked);
  EXPECT_FALSE(none->watermark.found);
  EXPECT_FALSE(none->explicit_label.checked);
  EXPECT_FALSE(none->explicit_label.note.empty());

  auto declared = detect(plain, true);
  ASSERT_TRUE(declared);
  EXPECT_EQ(declared->verdict, Verdict::kPossible);
  EXPECT_TRUE(declared->declared_ai);
}

TEST_F(ContentDetectorTest, TextWithAVisibleLabelIsSuspected) {
  const std::string body = "# Weather\n\nSunny all week, with a light breeze.\n";
  const std::string labelled = labels::label_text(body, labels::TextFormat::kMarkdown, {}).value();
  auto report = detect(Bytes(labelled.begin(), labelled.end()));
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->kind, "text");
  EXPECT_EQ(report->format, "markdown");
  EXPECT_TRUE(report->explicit_label.checked);
  EXPECT_TRUE(report->explicit_label.found);
  EXPECT_EQ(report->explicit_label.position, "start");
  EXPECT_EQ(report->verdict, Verdict::kSuspected);
  EXPECT_FALSE(report->watermark.checked);

  auto unlabelled = detect(Bytes(body.begin(), body.end()));
  ASSERT_TRUE(unlabelled);
  EXPECT_FALSE(unlabelled->explicit_label.found);
  EXPECT_EQ(unlabelled->verdict, Verdict::kNone);
}

TEST_F(ContentDetectorTest, RefusesWhatItCannotRead) {
  Bytes noise(5000);
  for (std::size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<std::uint8_t>(i * 7 + 1);
  noise[100] = 0;
  auto unknown = detect(noise);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnsupportedMediaType);

  auto missing = detect_file(dir_ / "nowhere.png", {&verify_key_, &watermark_key_});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(ContentDetectorTest, ThePublicReportOmitsTheWatermarkPayload) {
  auto report = detect(testing::watermarked_png(watermark_key_));
  ASSERT_TRUE(report);
  const auto provider = detection_json(*report, ReportAudience::kProvider);
  const auto open = detection_json(*report, ReportAudience::kPublic);
  EXPECT_EQ(provider["verdict"], "suspected");
  EXPECT_EQ(provider["watermark"]["payload"], "0123456789abcdef");
  EXPECT_EQ(open["verdict"], "suspected");
  EXPECT_TRUE(open["watermark"]["found"].get<bool>());
  EXPECT_FALSE(open["watermark"].contains("payload"));
  EXPECT_TRUE(open["metadata"].is_null());
}

}  // namespace
}  // namespace synthgate::pipeline
