// The audio label on a video's sound track (issue #4): the cue is mixed into the decoded samples
// while the video is re-encoded, and found again in the written file where it was put; the
// track keeps its codec, rate, channels and length, and the picture still gets its label.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "labels/audio_label.hpp"
#include "labels/image_label.hpp"
#include "labels/streamed_audio_label.hpp"
#include "labels/video_label.hpp"
#include "media/audio_file.hpp"
#include "media/video_file.hpp"
#include "support/command_output.hpp"
#include "support/temp_dir.hpp"

namespace synthgate {
namespace {

using testing::command_output;

// A clip of moving test pattern and a 440 Hz tone, made by the ffmpeg CLI.
void make_clip(const std::filesystem::path& path, double seconds, const std::string& codecs) {
  const std::string s = std::to_string(seconds);
  const std::string make =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=320x240:rate=25:duration=" + s +
      " -f lavfi -i sine=frequency=440:duration=" + s + " " + codecs + " -shortest '" +
      path.string() + "'";
  ASSERT_EQ(std::system(make.c_str()), 0) << make;
}

// The first audio stream: its description and the first channel's samples.
struct Track {
  media::AudioStreamInfo info;
  std::vector<float> mono;
};
Track read_track(const std::filesystem::path& path) {
  Track t;
  auto info = media::read_audio_stream(
      path, [&](const media::AudioFormat&, std::int64_t first, const labels::Channels& block) {
        EXPECT_EQ(static_cast<std::size_t>(first), t.mono.size());
        t.mono.insert(t.mono.end(), block.front().begin(), block.front().end());
        return Status{};
      });
  EXPECT_TRUE(info) << (info ? "" : info.error().message);
  if (info) t.info = *info;
  return t;
}

// Labels `in` into `out`: the visible label on the first 2 s of the picture and the rhythm cue
// at `spots` on the sound track, at the level of the loudness rule measured in a first pass.
Result<media::VideoInfo> label_both(const std::filesystem::path& in,
                                    const std::filesystem::path& out,
                                    const std::vector<labels::AudioSpot>& spots,
                                    std::optional<labels::PreparedLabel>& label) {
  std::optional<labels::GatedLoudness> loudness;
  auto measured = media::read_audio_stream(
      in, [&](const media::AudioFormat& f, std::int64_t, const labels::Channels& block) {
        if (!loudness) loudness.emplace(f.sample_rate);
        loudness->add(block);
        return Status{};
      });
  if (!measured) return tl::unexpected(measured.error());
  const labels::MixedCue mixed(
      labels::rhythm_cue_samples({}, measured->format.sample_rate, loudness->cue_level_rms()),
      spots, static_cast<std::size_t>(measured->samples));
  media::SoundTrackEditor sound;
  sound.edit = [&](std::int64_t first, labels::Channels& block) -> Status {
    mixed.apply(first, block);
    return {};
  };
  sound.bit_rate = measured->format.bit_rate;

  auto font = labels::LabelFont::load();
  if (!font) return tl::unexpected(font.error());
  const labels::VideoLabelTiming timing;  // start, 2 s
  media::FrameEditor editor;
  editor.wants = [&](double t, const media::VideoInfo& info) {
    if (!label) label = *labels::prepare_label(*font, {}, {info.width, info.height});
    return labels::video_label_shown(timing, t, info.duration_seconds);
  };
  editor.edit = [&](cv::Mat& bgr) -> Status {
    auto style = labels::apply_label(bgr, *label);
    if (!style) return tl::unexpected(style.error());
    return {};
  };
  return media::edit_video_file(in, out, {-1, "veryfast", 0}, editor, {}, sound);
}

// Mean grey change inside the label's box between the same frame of two videos.
double box_change(const std::filesystem::path& a, const std::filesystem::path& b, int frame,
                  const cv::Rect& box) {
  const auto grey = [&](const std::filesystem::path& p) {
    const std::string raw =
        command_output("ffmpeg -loglevel error -i '" + p.string() + "' -vf 'select=eq(n\\," +
                       std::to_string(frame) + ")' -frames:v 1 -f rawvideo -pix_fmt gray -");
    if (raw.size() != 320u * 240u) return cv::Mat();
    return cv::Mat(240, 320, CV_8UC1, const_cast<char*>(raw.data())).clone();
  };
  const cv::Mat x = grey(a);
  const cv::Mat y = grey(b);
  if (x.empty() || y.empty()) return -1;
  cv::Mat diff;
  cv::absdiff(x(box), y(box), diff);
  return cv::mean(diff)[0];
}

struct SoundCase {
  std::string name;
  std::string file;
  std::string codecs;
  std::string audio_codec;
  int frame_size;  // samples per encoded audio frame
};

class SoundTrackLabel : public ::testing::TestWithParam<SoundCase> {};

TEST_P(SoundTrackLabel, CueAtTheStartTrackKeepsItsFormatAndLength) {
  const SoundCase c = GetParam();
  const testing::TempDir dir;
  const auto in = dir.path() / c.file;
  const auto out = dir.path() / ("out-" + c.file);
  make_clip(in, 4.0, c.codecs);
  std::optional<labels::PreparedLabel> label;
  auto info = label_both(in, out, {labels::AudioSpot::kStart}, label);
  ASSERT_TRUE(info) << info.error().message;

  const Track before = read_track(in);
  const Track after = read_track(out);
  const int rate = after.info.format.sample_rate;
  const labels::RhythmCue cue;
  EXPECT_TRUE(labels::find_rhythm_cues(before.mono, rate, cue).empty());  // nothing to find before
  const auto found = labels::find_rhythm_cues(after.mono, rate, cue);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NEAR(found.front(), 0.0, 0.03);

  // Same codec, rate and channels; mixed, not inserted: the length within one audio frame.
  EXPECT_EQ(after.info.format.codec, c.audio_codec);
  EXPECT_EQ(after.info.format.codec, before.info.format.codec);
  EXPECT_EQ(after.info.format.sample_rate, before.info.format.sample_rate);
  EXPECT_EQ(after.info.format.channels, before.info.format.channels);
  EXPECT_LE(std::abs(after.info.samples - before.info.samples), c.frame_size);
  EXPECT_EQ(info->sound_samples, before.info.samples);
  // The bit rate is kept (the container's, or the mean of the packets where it has none).
  EXPECT_NEAR(static_cast<double>(after.info.format.bit_rate),
              static_cast<double>(before.info.format.bit_rate),
              0.25 * static_cast<double>(before.info.format.bit_rate));
  // After the cue the programme is the tone again, at its level.
  const auto at = [&](const Track& t, double s) {
    double e = 0;
    const auto from = static_cast<std::size_t>(s * rate);
    for (std::size_t i = from; i < from + 4800; ++i) e += double{t.mono[i]} * t.mono[i];
    return std::sqrt(e / 4800);
  };
  EXPECT_NEAR(at(after, 3.0), at(before, 3.0), 0.2 * at(before, 3.0));

  // The picture: the first 2 s carry the label, as without the sound track's label.
  EXPECT_EQ(info->edited_frames, 50);
  ASSERT_TRUE(label);
  EXPECT_GT(box_change(in, out, 10, label->text_box), 20.0);
  EXPECT_LT(box_change(in, out, 75, label->text_box), 20.0);
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, SoundTrackLabel,
    ::testing::Values(SoundCase{"h264_aac_mp4", "v.mp4",
                                "-c:v libx264 -preset veryfast -pix_fmt yuv420p -ac 2 -c:a aac "
                                "-b:a 96k",
                                "aac", 1024},
                      SoundCase{"vp9_opus_webm", "v.webm",
                                "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus "
                                "-b:a 48k",
                                "opus", 960},
                      SoundCase{"h264_opus_mkv", "v.mkv",
                                "-c:v libx264 -preset veryfast -pix_fmt yuv420p -ac 2 -c:a "
                                "libopus",
                                "opus", 960}),
    [](const ::testing::TestParamInfo<SoundCase>& param_info) { return param_info.param.name; });

TEST(SoundTrackLabel, MiddleAndEndAreFoundWhereTheyWerePut) {
  const testing::TempDir dir;
  const auto in = dir.path() / "v.mp4";
  const auto out = dir.path() / "out.mp4";
  make_clip(in, 8.0, "-c:v libx264 -preset veryfast -pix_fmt yuv420p -c:a aac");
  std::optional<labels::PreparedLabel> label;
  auto info = label_both(in, out, {labels::AudioSpot::kMiddle, labels::AudioSpot::kEnd}, label);
  ASSERT_TRUE(info) << info.error().message;
  const Track after = read_track(out);
  const int rate = after.info.format.sample_rate;
  const double seconds = after.info.seconds();
  const auto found = labels::find_rhythm_cues(after.mono, rate, {});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NEAR(found[0], (seconds - 1.32) / 2, 0.05);
  EXPECT_NEAR(found[1], seconds - 1.32, 0.05);
}

TEST(SoundTrackLabel, AVideoWithoutSoundIsLabelledAndGetsNoTrack) {
  const testing::TempDir dir;
  const auto in = dir.path() / "mute.mp4";
  const auto out = dir.path() / "out.mp4";
  const std::string make =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=320x240:rate=25:duration=3 -c:v "
      "libx264 -preset veryfast -pix_fmt yuv420p '" +
      in.string() + "'";
  ASSERT_EQ(std::system(make.c_str()), 0);
  int calls = 0;
  media::SoundTrackEditor sound;
  sound.edit = [&](std::int64_t, labels::Channels&) -> Status {
    ++calls;
    return {};
  };
  media::FrameEditor editor;
  editor.wants = [](double, const media::VideoInfo&) { return false; };
  auto info = media::edit_video_file(in, out, {-1, "veryfast", 0}, editor, {}, sound);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->frames, 75);
  EXPECT_EQ(info->sound_samples, 0);
  EXPECT_EQ(calls, 0);
  EXPECT_FALSE(media::media_stream_kinds(out).audio);
  auto none = media::read_audio_stream(out, {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kUnsupportedMediaType);
}

}  // namespace
}  // namespace synthgate
