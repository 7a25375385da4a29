// Video moderation end to end: the ffmpeg CLI makes a clip whose second half shows a
// blocklisted picture, a clip that never shows it, and a smaller, lossier re-encode of the first;
// the sampled frames' PDQ hashes find the first and the re-encode (with the time), not the other.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/file_io.hpp"
#include "moderation/image_moderation.hpp"
#include "moderation/video_moderation.hpp"
#include "support/temp_dir.hpp"

namespace synthgate::moderation {
namespace {

bool ffmpeg(const std::string& args) {
  return std::system(("ffmpeg -loglevel error -y " + args).c_str()) == 0;
}

class VideoModeration : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        ffmpeg("-f lavfi -i mandelbrot=size=320x240 -frames:v 1 '" + blocked_.string() + "'"));
    auto bytes = read_file(blocked_);
    ASSERT_TRUE(bytes);
    auto pdq = pdq_of_image(*bytes);
    ASSERT_TRUE(pdq);
    ASSERT_GE(pdq->quality, 50);
    list_ = std::make_unique<HashBlocklist>(
        std::vector<BlocklistEntry>{{pdq->hash, "case-7"}, {PdqHash{}, "unrelated"}});
  }

  // Two seconds of the test pattern, then two of the blocked picture (H.264, 25 fps).
  std::filesystem::path clip_showing_it() {
    const auto out = dir_ / "showing.mp4";
    EXPECT_TRUE(
        ffmpeg("-f lavfi -i testsrc=size=320x240:rate=25:duration=2 -loop 1 -framerate "
               "25 -t 2 -i '" +
               blocked_.string() +
               "' -filter_complex "
               "'[0:v]setsar=1[a];[1:v]setsar=1[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p' "
               "-c:v libx264 '" +
               out.string() + "'"));
    return out;
  }

  testing::TempDir dir_;
  std::filesystem::path blocked_ = dir_ / "blocked.png";
  std::unique_ptr<HashBlocklist> list_;
};

TEST_F(VideoModeration, FramesShowingABlocklistedPictureBlockWithTheirTime) {
  const auto clip = clip_showing_it();
  auto check = check_video(clip, *list_);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->decision, "block");
  ASSERT_FALSE(check->matches.empty());
  // Sampled once a second plus the last frame: 0 and 1 s show the pattern, 2 and 3 s the picture.
  EXPECT_GE(check->matches.front().seconds, 2.0);
  EXPECT_LT(check->matches.front().seconds, 2.1);
  for (const auto& m : check->matches) {
    EXPECT_GE(m.seconds, 2.0);
    EXPECT_EQ(list_->entries()[m.match.index].label, "case-7");
    EXPECT_LE(m.match.distance, 31);
  }
  EXPECT_EQ(check->frames_decoded, 100u);
  EXPECT_EQ(check->frames_sampled, 5u);  // 0, 1, 2, 3 s and the last frame
}

TEST_F(VideoModeration, ARe_encodedSmallerCopyIsStillFound) {
  const auto clip = clip_showing_it();
  const auto smaller = dir_ / "smaller.webm";
  ASSERT_TRUE(ffmpeg("-i '" + clip.string() +
                     "' -vf scale=240:180 -c:v libvpx-vp9 -crf 45 -b:v 0 -deadline realtime '" +
                     smaller.string() + "'"));
  auto check = check_video(smaller, *list_);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->decision, "block");
  ASSERT_FALSE(check->matches.empty());
  EXPECT_GE(check->matches.front().seconds, 2.0);
  EXPECT_LT(check->matches.front().seconds, 2.1);
}

TEST_F(VideoModeration, AClipThatNeverShowsItPasses) {
  const auto clip = dir_ / "pattern.mp4";
  ASSERT_TRUE(
      ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25:duration=4 -pix_fmt yuv420p "
             "-c:v libx264 '" +
             clip.string() + "'"));
  auto check = check_video(clip, *list_);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->decision, "pass");
  EXPECT_TRUE(check->matches.empty());
  EXPECT_GE(check->frames_sampled, 4u);
}

TEST_F(VideoModeration, FlatFramesAreSampledButNotLookedUp) {
  const auto clip = dir_ / "grey.mp4";
  ASSERT_TRUE(
      ffmpeg("-f lavfi -i color=c=gray:size=320x240:rate=25:duration=2 -pix_fmt yuv420p "
             "-c:v libx264 '" +
             clip.string() + "'"));
  auto check = check_video(clip, *list_);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->decision, "pass");
  EXPECT_EQ(check->frames_low_quality, check->frames_sampled);
}

TEST_F(VideoModeration, AFileWithoutVideoIsRefused) {
  auto check = check_video(blocked_.parent_path() / "nothing.mp4", *list_);
  EXPECT_FALSE(check);
}

TEST(FrameSchedule, TakesOnePerIntervalAndWidensForLongVideos) {
  FrameSchedule every_second({1.0, 600, 50}, 10.0);
  int taken = 0;
  for (int f = 0; f < 250; ++f) taken += every_second.take(f / 25.0) ? 1 : 0;
  EXPECT_EQ(taken, 10);  // 0..9 s

  FrameSchedule capped({1.0, 11, 50}, 100.0);  // 100 s in at most 11 samples: every 10 s
  taken = 0;
  for (int f = 0; f < 2500; ++f) taken += capped.take(f / 25.0) ? 1 : 0;
  EXPECT_EQ(taken, 10);
  EXPECT_EQ(capped.taken(), 10u);
}

}  // namespace
}  // namespace synthgate::moderation
