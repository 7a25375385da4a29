#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace synthgate::media {

// What an audio file is made of, kept so that a labelled copy is written the same way.
struct AudioFormat {
  std::string container;  // FFmpeg muxer name: wav, mp3, flac, ogg, ipod (M4A) ...
  std::string codec;      // FFmpeg codec name: pcm_s16le, mp3, flac, opus, aac ...
  int sample_rate = 0;
  int channels = 0;
  std::string channel_layout;  // FFmpeg's description, e.g. "stereo"
  std::int64_t bit_rate = 0;   // of the stream, 0 when unknown or lossless
  std::string sample_format;   // FFmpeg sample format of the source (s16, fltp ...)
};

// Samples as floats in [-1, 1], one vector per channel.
struct DecodedAudio {
  AudioFormat format;
  std::vector<std::vector<float>> channels;
  std::size_t frames() const { return channels.empty() ? 0 : channels.front().size(); }
  double seconds() const {
    return format.sample_rate > 0 ? static_cast<double>(frames()) / format.sample_rate : 0.0;
  }
};

// FFmpeg prints warnings (e.g. MP3 timestamp notes) on stderr; a command line keeps them
// to errors. This sets FFmpeg's process-wide log level.
void keep_codec_logs_to_errors();

// Reports progress as a fraction 0..1; may be empty.
using ProgressCallback = std::function<void(double)>;

// Decodes the first audio stream of a file (WAV, MP3, FLAC, Ogg Vorbis/Opus, M4A/AAC, ...)
// through FFmpeg. A file without audio or that FFmpeg cannot read is refused with
// kUnsupportedMediaType; one longer than `max_seconds` with kPayloadTooLarge.
Result<DecodedAudio> decode_audio_file(const std::filesystem::path& path,
                                       double max_seconds = 4 * 3600.0,
                                       const ProgressCallback& progress = {});

// A block of samples as floats in [-1, 1], one vector per channel, with the index (per channel)
// of its first sample in the stream and the stream's format.
using AudioBlockVisitor = std::function<Status(const AudioFormat& format, std::int64_t first,
                                               const std::vector<std::vector<float>>& block)>;
// The same block, to be changed in place: no sample may be added or removed.
using AudioBlockEditor =
    std::function<Status(std::int64_t first, std::vector<std::vector<float>>& block)>;

struct AudioStreamInfo {
  AudioFormat format;
  std::int64_t samples = 0;  // per channel, as decoded
  double seconds() const {
    return format.sample_rate > 0 ? static_cast<double>(samples) / format.sample_rate : 0.0;
  }
};

// Decodes the first audio stream of any media file, a video's sound track included, and shows
// it to `visit` block by block in order; only one decoded block is held, so memory does not
// grow with the length. `format.bit_rate` is the stream's when the container says, else the
// mean of its packets. A file without audio, or that FFmpeg cannot read, is refused with
// kUnsupportedMediaType.
Result<AudioStreamInfo> read_audio_stream(const std::filesystem::path& path,
                                          const AudioBlockVisitor& visit,
                                          const ProgressCallback& progress = {});

// Encodes `audio` to `path` in its `format` (container, codec, rate, layout and bit rate).
Status encode_audio_file(const DecodedAudio& audio, const std::filesystem::path& path,
                         const ProgressCallback& progress = {});

}  // namespace synthgate::media
