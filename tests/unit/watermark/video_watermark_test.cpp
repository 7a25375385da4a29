// The video watermark end to end: a 1280x720, 5 s clip with sound (the ffmpeg CLI panning
// across a shared test photo) is
// marked, then attacked by the ffmpeg CLI (H.264 CRF 28, downscaling to 480p, a 3 s segment
// from the middle) and read back; unmarked clips and wrong keys read as not found, and the
// sound track is copied packet for packet.
#include "watermark/video_watermark.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <regex>
#include <string>

#include "support/command_output.hpp"
#include "support/temp_dir.hpp"

namespace synthgate::watermark {
namespace {

using testing::command_output;

bool ffmpeg(const std::string& args) {
  const std::string command = "ffmpeg -loglevel error -y " + args;
  return std::system(command.c_str()) == 0;
}

std::string quoted(const std::filesystem::path& p) {
  return "'" + p.string() + "'";
}

SecretBytes key_of(std::uint8_t fill) {
  return SecretBytes(std::vector<std::uint8_t>(32, fill));
}

constexpr std::uint64_t kPayload = 0x0123456789abcdefULL;

// One source clip and its marked copy for the whole suite: marking is the slow part.
class VideoWatermark : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    // A camera panning across a photo: natural texture that moves from frame to frame.
    const std::filesystem::path photo =
        std::filesystem::path(SYNTHGATE_TESTDATA_DIR) / "pdq/images/bridge-mods/aaa-orig.jpg";
    ASSERT_TRUE(std::filesystem::exists(photo)) << "shared test data missing: " << photo;
    ASSERT_TRUE(
        ffmpeg("-loop 1 -framerate 25 -i " + quoted(photo) +
               " -f lavfi -i sine=frequency=440:duration=5 -vf "
               "\"crop=1280:720:x='min(t*64,320)':y=142\" -t 5 -c:v libx264 -preset veryfast "
               "-crf 18 -pix_fmt yuv420p -c:a aac -shortest " +
               quoted(source())));
    media::VideoEncodeSettings settings;
    settings.preset = "veryfast";
    auto marked = embed_video_watermark(source(), marked_path(), kPayload, key_of(7), settings);
    ASSERT_TRUE(marked) << marked.error().message;
    marking_ = *marked;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(marking_) << "the suite's clip was not marked"; }

  static std::filesystem::path source() { return dir_->path() / "source.mp4"; }
  static std::filesystem::path marked_path() { return dir_->path() / "marked.mp4"; }
  static std::filesystem::path path(const std::string& name) { return dir_->path() / name; }

  static void expect_payload(const std::filesystem::path& file, const std::string& what) {
    auto reading = read_video_watermark(file, key_of(7));
    ASSERT_TRUE(reading) << what << ": " << reading.error().message;
    EXPECT_TRUE(reading->reading.found) << what;
    EXPECT_EQ(reading->reading.payload, kPayload) << what;
    EXPECT_GT(reading->frames_read, 0) << what;
    std::printf("%-24s found=%d confidence=%.3f bit_errors=%d frames_read=%lld\n", what.c_str(),
                reading->reading.found, reading->reading.confidence, reading->reading.bit_errors,
                static_cast<long long>(reading->frames_read));
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline std::optional<VideoMarking> marking_;
};

TEST_F(VideoWatermark, EveryFrameIsMarkedAndContainerCodecAndSizeKept) {
  EXPECT_EQ(marking_->info.container, "mp4");
  EXPECT_EQ(marking_->info.codec, "h264");
  EXPECT_EQ(marking_->info.width, 1280);
  EXPECT_EQ(marking_->info.height, 720);
  EXPECT_EQ(marking_->info.frames, 125);
  EXPECT_EQ(marking_->marked_frames, 125);
  EXPECT_EQ(marking_->flat_frames, 0);
}

TEST_F(VideoWatermark, ReadsTheExactPayload) {
  expect_payload(marked_path(), "marked");
}

TEST_F(VideoWatermark, SoundTrackIsCopiedPacketForPacket) {
  const auto md5 = [](const std::filesystem::path& p) {
    return command_output("ffmpeg -loglevel error -i " + quoted(p) + " -map 0:a -c copy -f md5 -");
  };
  EXPECT_NE(md5(source()), "");
  EXPECT_EQ(md5(source()), md5(marked_path()));
}

TEST_F(VideoWatermark, PsnrOfTheMarkedClipAgainstTheSource) {
  // The marked clip is re-encoded (x264 CRF 23), so this includes the coding loss; the same
  // re-encode without the mark is the reference.
  media::FrameEditor untouched;
  auto plain = media::edit_video_file(source(), path("plain.mp4"), {-1, "veryfast", 0}, untouched);
  ASSERT_TRUE(plain) << plain.error().message;
  const auto psnr = [](const std::filesystem::path& a, const std::filesystem::path& b) {
    const std::string log = command_output("ffmpeg -hide_banner -i " + quoted(a) + " -i " +
                                           quoted(b) + " -lavfi '[0:v][1:v]psnr' -f null - 2>&1");
    std::smatch m;
    if (!std::regex_search(
            log, m, std::regex(R"(y:([0-9.]+) u:[0-9.inf]+ v:[0-9.inf]+ average:([0-9.]+))"))) {
      return std::pair{0.0, 0.0};
    }
    return std::pair{std::stod(m[1]), std::stod(m[2])};
  };
  const auto marked = psnr(marked_path(), source());
  const auto reencoded = psnr(path("plain.mp4"), source());
  std::printf(
      "PSNR against the source: marked Y %.2f dB (all %.2f), re-encoded unmarked Y %.2f dB (all "
      "%.2f)\n",
      marked.first, marked.second, reencoded.first, reencoded.second);
  EXPECT_GE(marked.first, 38.0);
  EXPECT_LE(reencoded.first - marked.first, 6.0);
}

TEST_F(VideoWatermark, SurvivesH264Crf28) {
  ASSERT_TRUE(ffmpeg("-i " + quoted(marked_path()) +
                     " -c:v libx264 -crf 28 -preset veryfast -c:a copy " +
                     quoted(path("crf28.mp4"))));
  expect_payload(path("crf28.mp4"), "H.264 CRF 28");
}

TEST_F(VideoWatermark, SurvivesDownscalingTo480p) {
  ASSERT_TRUE(ffmpeg("-i " + quoted(marked_path()) +
                     " -vf scale=-2:480 -c:v libx264 -preset veryfast -c:a copy " +
                     quoted(path("480p.mp4"))));
  expect_payload(path("480p.mp4"), "downscaled to 480p");
}

TEST_F(VideoWatermark, SurvivesAThreeSecondSegmentFromTheMiddle) {
  ASSERT_TRUE(ffmpeg("-ss 1.5 -t 3 -i " + quoted(marked_path()) +
                     " -c:v libx264 -preset veryfast -c:a aac " + quoted(path("trim.mp4"))));
  auto reading = read_video_watermark(path("trim.mp4"), key_of(7));
  ASSERT_TRUE(reading);
  EXPECT_NEAR(static_cast<double>(reading->frames), 75.0, 1.0);  // x264 may keep one more
  expect_payload(path("trim.mp4"), "3 s from the middle");
}

TEST_F(VideoWatermark, UnmarkedClipAndWrongKeyReadAsNotFound) {
  auto unmarked = read_video_watermark(source(), key_of(7));
  ASSERT_TRUE(unmarked) << unmarked.error().message;
  EXPECT_FALSE(unmarked->reading.found);
  EXPECT_EQ(unmarked->reading.payload, 0U);
  auto wrong = read_video_watermark(marked_path(), key_of(8));
  ASSERT_TRUE(wrong) << wrong.error().message;
  EXPECT_FALSE(wrong->reading.found);
  EXPECT_EQ(wrong->reading.payload, 0U);
}

TEST_F(VideoWatermark, RefusesClipsTooSmallToCarryIt) {
  ASSERT_TRUE(
      ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25:duration=1 -c:v libx264 "
             "-pix_fmt yuv420p " +
             quoted(path("small.mp4"))));
  auto marked = embed_video_watermark(path("small.mp4"), path("small-out.mp4"), 1, key_of(7));
  ASSERT_FALSE(marked);
  EXPECT_EQ(marked.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(marked.error().message.find("too small"), std::string::npos);
}

TEST_F(VideoWatermark, RefusesFilesWithoutVideo) {
  ASSERT_TRUE(ffmpeg("-f lavfi -i sine=frequency=440:duration=1 " + quoted(path("tone.wav"))));
  auto reading = read_video_watermark(path("tone.wav"), key_of(7));
  ASSERT_FALSE(reading);
  EXPECT_EQ(reading.error().code, ErrorCode::kUnsupportedMediaType);
}

}  // namespace
}  // namespace synthgate::watermark
