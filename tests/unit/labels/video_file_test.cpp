// Video labels through FFmpeg: which frames differ from the input, and for how long; the label
// height against the shortest side; audio copied untouched; codec and container kept.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "labels/image_label.hpp"
#include "labels/video_label.hpp"
#include "media/video_file.hpp"
#include "support/command_output.hpp"
#include "support/temp_dir.hpp"

namespace synthgate {
namespace {

using testing::command_output;

// Every frame of a video as 8-bit grey, decoded by the ffmpeg CLI.
std::vector<cv::Mat> grey_frames(const std::filesystem::path& path, int width, int height) {
  const std::string raw = command_output("ffmpeg -loglevel error -i '" + path.string() +
                                         "' -fps_mode passthrough -f rawvideo -pix_fmt gray -");
  std::vector<cv::Mat> frames;
  const std::size_t size = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  for (std::size_t pos = 0; pos + size <= raw.size(); pos += size) {
    frames.push_back(cv::Mat(height, width, CV_8UC1, const_cast<char*>(raw.data() + pos)).clone());
  }
  return frames;
}

struct VideoCase {
  std::string name;
  std::string file;
  std::string args;
  std::string codec;
  std::string container;
};

class VideoLabel : public ::testing::TestWithParam<VideoCase> {};

TEST_P(VideoLabel, FirstTwoSecondsCarryTheLabelAndAudioIsCopied) {
  const VideoCase c = GetParam();
  const testing::TempDir dir;
  const auto in = dir.path() / c.file;
  const auto out = dir.path() / ("out-" + c.file);
  const std::string make =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=320x240:rate=25:duration=3 -f lavfi "
      "-i sine=frequency=440:duration=3 " +
      c.args + " -shortest '" + in.string() + "'";
  ASSERT_EQ(std::system(make.c_str()), 0) << make;

  auto font = labels::LabelFont::load();
  ASSERT_TRUE(font);
  const labels::VideoLabelTiming timing;  // start, 2 s
  std::optional<labels::PreparedLabel> label;
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
  media::VideoEncodeSettings settings;
  settings.preset = c.codec == "h264" || c.codec == "hevc" ? "veryfast" : "";
  auto info = media::edit_video_file(in, out, settings, editor);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->codec, c.codec);
  EXPECT_EQ(info->container, c.container);
  EXPECT_NEAR(static_cast<double>(info->frames), 75.0, 1.0);  // WebM may end on an extra frame
  EXPECT_EQ(info->edited_frames, 50);
  ASSERT_TRUE(label);
  EXPECT_GE(label->text_box.height * 20, 240);  // ≥ 5% of the shortest side

  // Which frames differ inside the label's box: the first 2 s and no others.
  const auto before = grey_frames(in, 320, 240);
  const auto after = grey_frames(out, 320, 240);
  ASSERT_EQ(before.size(), static_cast<std::size_t>(info->frames));
  ASSERT_EQ(after.size(), before.size());
  int first_unlabelled = -1;
  for (std::size_t i = 0; i < before.size(); ++i) {
    cv::Mat diff;
    cv::absdiff(before[i](label->text_box), after[i](label->text_box), diff);
    const double change = cv::mean(diff)[0];
    const bool labelled = change > 20.0;  // codec noise stays a few grey levels
    if (i < 50) {
      EXPECT_TRUE(labelled) << "frame " << i << " change " << change;
    } else {
      EXPECT_FALSE(labelled) << "frame " << i << " change " << change;
      if (first_unlabelled < 0) first_unlabelled = static_cast<int>(i);
    }
  }
  EXPECT_GE(first_unlabelled / 25.0, 2.0);

  // The sound track is the same packets.
  const auto md5 = [](const std::filesystem::path& p) {
    return command_output("ffmpeg -loglevel error -i '" + p.string() +
                          "' -map 0:a -c copy -f md5 -");
  };
  EXPECT_EQ(md5(in), md5(out));
  EXPECT_NE(md5(in), "");
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, VideoLabel,
    ::testing::Values(
        VideoCase{"h264_mp4", "v.mp4", "-c:v libx264 -pix_fmt yuv420p -c:a aac", "h264", "mp4"},
        VideoCase{"vp9_webm", "v.webm",
                  "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -c:a libopus", "vp9", "webm"},
        VideoCase{"av1_mkv", "v.mkv", "-c:v libsvtav1 -preset 12 -c:a libopus", "av1", "matroska"},
        VideoCase{"hevc_mkv", "v.mkv", "-c:v libx265 -preset ultrafast -c:a flac", "hevc",
                  "matroska"}),
    [](const ::testing::TestParamInfo<VideoCase>& param_info) { return param_info.param.name; });

TEST(VideoTiming, Spans) {
  labels::VideoLabelTiming end{labels::VideoSpan::kEnd, 2.0};
  EXPECT_FALSE(labels::video_label_shown(end, 1.0, 10.0));
  EXPECT_TRUE(labels::video_label_shown(end, 8.5, 10.0));
  labels::VideoLabelTiming middle{labels::VideoSpan::kMiddle, 2.0};
  EXPECT_TRUE(labels::video_label_shown(middle, 5.0, 10.0));
  EXPECT_FALSE(labels::video_label_shown(middle, 3.0, 10.0));
  EXPECT_TRUE(labels::video_label_shown({labels::VideoSpan::kWhole, 0}, 99.0, 100.0));
  EXPECT_FALSE(labels::check_timing({labels::VideoSpan::kStart, 1.5}));
  EXPECT_FALSE(labels::parse_video_span("sideways"));
}

TEST(VideoFile, RefusesAudioOnly) {
  const testing::TempDir dir;
  const auto wav = dir.path() / "a.wav";
  ASSERT_EQ(
      std::system(
          ("ffmpeg -loglevel error -f lavfi -i sine=duration=1 '" + wav.string() + "'").c_str()),
      0);
  EXPECT_FALSE(media::has_video_stream(wav));
  auto r = media::edit_video_file(wav, dir.path() / "o.wav", {}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupportedMediaType);
}

}  // namespace
}  // namespace synthgate
