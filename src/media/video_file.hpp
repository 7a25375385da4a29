#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "media/audio_file.hpp"

namespace synthgate::media {

// Quality settings of the re-encoded video stream. Unset values keep the encoder's default
// (libx264/libx265 CRF 23/28, libvpx-vp9 and AV1 encoders at the source's bit rate).
struct VideoEncodeSettings {
  int crf = -1;               // constant quality, where the encoder has it
  std::string preset;         // x264/x265 preset (e.g. "medium", "veryfast")
  std::int64_t bit_rate = 0;  // 0: the source stream's bit rate when there is no CRF
};

struct VideoInfo {
  std::string container;
  std::string codec;
  int width = 0;
  int height = 0;
  double frame_rate = 0;
  double duration_seconds = 0;  // 0 when the container does not say
  std::int64_t frames = 0;      // frames written
  std::int64_t edited_frames = 0;
};

// Called for each frame in order: `wants(seconds)` says whether the frame is edited; only
// then is it converted to BGR and handed to `edit`.
struct FrameEditor {
  std::function<bool(double seconds, const VideoInfo& info)> wants;
  std::function<Status(cv::Mat& bgr)> edit;
};

// Streams the first video stream of `in` through decoder -> editor -> encoder of the same
// codec into the same container at `out`, copying every other stream (audio, subtitles)
// packet for packet. Only the frames in flight are held, so memory does not grow with the
// length. Refuses files without video (kUnsupportedMediaType) and codecs without an encoder.
Result<VideoInfo> edit_video_file(const std::filesystem::path& in, const std::filesystem::path& out,
                                  const VideoEncodeSettings& settings, const FrameEditor& editor,
                                  const ProgressCallback& progress = {});

// Whether FFmpeg sees a video stream (not cover art) in the file.
bool has_video_stream(const std::filesystem::path& path);

// Which kinds of stream FFmpeg finds in a file (both false: not media it reads).
struct StreamKinds {
  bool video = false;  // cover art does not count
  bool audio = false;
};
StreamKinds media_stream_kinds(const std::filesystem::path& path);

}  // namespace synthgate::media
