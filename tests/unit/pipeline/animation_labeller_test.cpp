// `synthgate label` on animated GIF and WebP (issue 4): every frame labelled, only the label's
// pixels changed, frame count, timing, loop count and compression kept; the metadata label
// written after; ImageMagick reads the result back frame by frame.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/ed25519.hpp"
#include "core/file_io.hpp"
#include "core/ids.hpp"
#include "core/secret_bytes.hpp"
#include "media/animated_gif.hpp"
#include "media/animated_webp.hpp"
#include "media/decoded_image.hpp"
#include "metadata/implicit_label.hpp"
#include "pipeline/content_detector.hpp"
#include "pipeline/content_labeller.hpp"
#include "support/animation_fixtures.hpp"
#include "support/command_output.hpp"
#include "support/fixed_random.hpp"
#include "support/temp_dir.hpp"

namespace synthgate::pipeline {
namespace {

constexpr std::string_view kProducer = "001191440300708461136T1XGW3";

struct Decoded {
  media::AnimationInfo info;
  std::vector<cv::Mat> frames;
};

Decoded decode(const std::filesystem::path& path) {
  auto bytes = read_file(path);
  EXPECT_TRUE(bytes);
  Decoded out;
  const media::FrameVisitor keep = [&](const cv::Mat& bgra, int) -> Status {
    out.frames.push_back(bgra.clone());
    return {};
  };
  auto info = media::is_gif(*bytes) ? media::decode_gif_frames(*bytes, keep)
                                    : media::decode_webp_frames(*bytes, keep);
  EXPECT_TRUE(info) << info.error().message;
  if (info) out.info = *info;
  return out;
}

cv::Rect rect_of(const nlohmann::ordered_json& box) {
  return {box.at(0).get<int>(), box.at(1).get<int>(), box.at(2).get<int>(), box.at(3).get<int>()};
}

// The bounding box of the pixels where two BGRA frames differ.
cv::Rect changed_area(const cv::Mat& a, const cv::Mat& b) {
  cv::Rect area;
  for (int y = 0; y < a.rows; ++y) {
    for (int x = 0; x < a.cols; ++x) {
      if (a.at<cv::Vec4b>(y, x) == b.at<cv::Vec4b>(y, x)) continue;
      area = area.empty() ? cv::Rect(x, y, 1, 1) : (area | cv::Rect(x, y, 1, 1));
    }
  }
  return area;
}

using testing::command_output;

class AnimationLabelling : public ::testing::TestWithParam<std::string> {
 protected:
  std::vector<std::uint8_t> fixture() const {
    if (GetParam() == "gif") return testing::make_animated_gif();
    return testing::make_animated_webp(GetParam() == "webp-lossless");
  }
  std::string extension() const { return GetParam() == "gif" ? ".gif" : ".webp"; }

  testing::TempDir dir;
  ContentId id = *ContentId::parse("01m8j88qpveh9ve37z6he0sxgg");
};

TEST_P(AnimationLabelling, EveryFrameLabelledAndNothingElseChanged) {
  const auto in = dir / ("in" + extension());
  const auto out = dir / ("out" + extension());
  ASSERT_TRUE(write_file_atomically(in, fixture()));
  LabelPlan plan;
  plan.watermark = false;
  plan.metadata = false;
  auto outcome = label_file(in, out, id, plan, {});
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->kind, "image");
  EXPECT_EQ(outcome->format, extension().substr(1));
  ASSERT_TRUE(outcome->visible.value("applied", false)) << outcome->visible.dump();
  EXPECT_FALSE(outcome->watermark.value("applied", true));
  EXPECT_EQ(outcome->visible["frames"], 5);
  EXPECT_EQ(outcome->visible["labelled_frames"], 5);
  EXPECT_EQ(outcome->kept["loop_count"], testing::kAnimationLoops);

  const Decoded before = decode(in);
  const Decoded after = decode(out);
  ASSERT_EQ(before.frames.size(), 5u);
  ASSERT_EQ(after.frames.size(), 5u);
  EXPECT_EQ(after.info.loop_count, testing::kAnimationLoops);
  EXPECT_EQ(after.info.delays_ms, before.info.delays_ms);
  EXPECT_EQ(after.info.encoding, before.info.encoding);
  const cv::Rect text = rect_of(outcome->visible["box"]);
  const cv::Rect plate = rect_of(outcome->visible["plate"]);
  EXPECT_GE(text.height * 100, 5 * std::min(testing::kAnimationWidth, testing::kAnimationHeight));
  EXPECT_EQ(plate & text, text);
  for (std::size_t i = 0; i < before.frames.size(); ++i) {
    const cv::Rect changed = changed_area(before.frames[i], after.frames[i]);
    if (GetParam() == "webp-lossy") {
      // Lossy frames are encoded again: close to the source outside the label, not equal.
      cv::Mat outside_before = before.frames[i].clone();
      cv::Mat outside_after = after.frames[i].clone();
      outside_before(plate).setTo(cv::Scalar::all(0));
      outside_after(plate).setTo(cv::Scalar::all(0));
      // Fully transparent pixels have no colour to keep.
      cv::Mat clear;
      cv::extractChannel(before.frames[i], clear, 3);
      outside_before.setTo(cv::Scalar::all(0), clear == 0);
      outside_after.setTo(cv::Scalar::all(0), clear == 0);
      EXPECT_GT(cv::PSNR(outside_before, outside_after), 30.0) << "frame " << i;
    } else {
      EXPECT_EQ(changed & plate, changed) << "frame " << i << ": changed " << changed;
    }
    EXPECT_GT(cv::norm(before.frames[i](text), after.frames[i](text), cv::NORM_L1), 0.0)
        << "frame " << i << " has no label";
  }
  // ImageMagick, an independent reader, sees the same frames.
  EXPECT_EQ(command_output("identify -format '%s\\n' '" + out.string() + "' | wc -l"), "5\n");
}

TEST_P(AnimationLabelling, MetadataLabelWrittenAfterTheVisibleLabel) {
  const auto in = dir / ("in" + extension());
  const auto out = dir / ("out" + extension());
  ASSERT_TRUE(write_file_atomically(in, fixture()));
  testing::FixedRandom random(3);
  const auto key = Ed25519SigningKey::generate(random);
  LabelPlan plan;
  plan.producer = std::string(kProducer);
  LabelKeys keys;
  keys.metadata_signing = &key;
  auto outcome = label_file(in, out, id, plan, keys);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->visible.value("applied", false));
  EXPECT_TRUE(outcome->metadata.value("applied", false)) << outcome->metadata.dump();
  EXPECT_FALSE(outcome->watermark.value("applied", true));
  auto bytes = read_file(out);
  ASSERT_TRUE(bytes);
  auto reading = metadata::read_label(*bytes);
  ASSERT_TRUE(reading) << reading.error().message;
  EXPECT_EQ(reading->count, 1u);
  ASSERT_TRUE(reading->record);
  EXPECT_EQ(reading->record->produce_id, id.to_string());
  // exiftool finds the XMP packet where readers look for it.
  EXPECT_NE(command_output("exiftool -b -XMP '" + out.string() + "'").find(id.to_string()),
            std::string::npos);
  EXPECT_EQ(decode(out).frames.size(), 5u);
  // What moderation and PDQ read: the first frame.
  auto first = media::decode_rgb_image(*bytes);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->width, testing::kAnimationWidth);
}

// Animated WebP frames carry the watermark too (after the label); the detector reads it from
// the first frame.
TEST(AnimatedWebpWatermark, EveryFrameMarkedAndTheDetectorReadsIt) {
  testing::TempDir dir;
  // Photo-like frames (ImageMagick's plasma): the mark's reader needs texture, and the fixture's
  // regular stripes and checks have too little of it.
  const std::string d = dir.path().string();
  const std::string make = "cd '" + d +
                           "' && for i in 0 1 2; do convert -seed $i -size 320x256 "
                           "plasma:fractal p$i.png || exit 1; done && img2webp -loop 3 -lossless "
                           "-d 100 p0.png -d 200 p1.png -d 300 p2.png -o in.webp >/dev/null 2>&1";
  ASSERT_EQ(std::system(make.c_str()), 0) << make;
  const SecretBytes key(std::vector<std::uint8_t>(32, 7));
  LabelPlan plan;
  plan.metadata = false;
  LabelKeys keys;
  keys.watermark = &key;
  const ContentId id = *ContentId::parse("01m8j88qpveh9ve37z6he0sxgg");
  auto outcome = label_file(dir / "in.webp", dir / "out.webp", id, plan, keys);
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->watermark.value("applied", false)) << outcome->watermark.dump();
  EXPECT_EQ(outcome->watermark["marked_frames"], 3);
  ASSERT_TRUE(outcome->watermark_payload);
  const Decoded out = decode(dir / "out.webp");
  EXPECT_EQ(out.frames.size(), 3u);
  EXPECT_EQ(out.info.delays_ms, (std::vector<int>{100, 200, 300}));
  DetectionKeys detection;
  detection.watermark_key = &key;
  auto report = detect_file(dir / "out.webp", detection);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->watermark.found) << report->watermark.note;
  EXPECT_EQ(report->watermark.payload, *outcome->watermark_payload);
  // Without the plan's watermark, the same file is unmarked.
  plan.watermark = false;
  ASSERT_TRUE(label_file(dir / "in.webp", dir / "plain.webp", id, plan, keys));
  auto plain = detect_file(dir / "plain.webp", detection);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->watermark.found);
}

INSTANTIATE_TEST_SUITE_P(Formats, AnimationLabelling,
                         ::testing::Values("gif", "webp-lossless", "webp-lossy"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace synthgate::pipeline
