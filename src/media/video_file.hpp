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
  std::int64_t sound_samples = 0;  // samples of the sound track edited (0: copied or none)
};

// Called for each frame in order: `wants(seconds, info)` says whether the frame is edited
// (`info.frames` counts the frames before it); only then is it handed to an editor.
struct FrameEditor {
  std::function<bool(double seconds, const VideoInfo& info)> wants;
  // The frame converted to BGR, converted back after the call.
  std::function<Status(cv::Mat& bgr)> edit;
  // When set, a frame whose 8-bit luma has a plane of its own (yuv420p, yuvj420p, nv12, ...)
  // is edited there in place instead: no colour conversion, chroma untouched. Other pixel
  // formats still go through `edit`.
  std::function<Status(cv::Mat& luma)> edit_luma;
  // When set and true for a frame, that frame goes through `edit` even where `edit_luma` could
  // take it: a frame that shows the visible label needs colour, the others only their luma.
  std::function<bool(double seconds, const VideoInfo& info)> wants_bgr;
};

// Called for each decoded frame in order: `wants(seconds, info)` (`info.frames` counts the
// frames before it) says whether `look` gets its 8-bit luma, a view valid during the call.
struct FrameReader {
  std::function<bool(double seconds, const VideoInfo& info)> wants;
  std::function<Status(const cv::Mat& luma)> look;
};

// When set, the first audio stream is decoded, its samples handed to `edit` block by block
// (float, one vector per channel, changed in place, never added or removed, so the sound stays
// in sync with the picture) and encoded again with the same codec, sample rate, channel layout
// and bit rate.
struct SoundTrackEditor {
  AudioBlockEditor edit;
  std::int64_t bit_rate = 0;  // 0: the stream's own when the container says, else the encoder's
};

// Streams the first video stream of `in` through decoder -> editor -> encoder of the same
// codec into the same container at `out`, copying every other stream (audio, subtitles)
// packet for packet; with `sound.edit`, the first audio stream goes through it instead of
// being copied. Only the frames in flight are held, so memory does not grow with the length.
// Refuses files without video (kUnsupportedMediaType) and codecs without an encoder.
Result<VideoInfo> edit_video_file(const std::filesystem::path& in, const std::filesystem::path& out,
                                  const VideoEncodeSettings& settings, const FrameEditor& editor,
                                  const ProgressCallback& progress = {},
                                  const SoundTrackEditor& sound = {});

// Decodes the first video stream of `path` and shows the frames `reader` wants to it; no file
// is written and only one frame is held. Returns the stream's description with `frames`
// decoded and `edited_frames` looked at. Refuses files without video (kUnsupportedMediaType).
Result<VideoInfo> read_video_frames(const std::filesystem::path& path, const FrameReader& reader,
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
