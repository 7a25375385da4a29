#pragma once
// A video's sound track decoded to float samples, edited and encoded again with the same codec,
// rate and layout, packet by packet, inside the video's own read loop (private to src/media).
#include <cstdint>
#include <memory>
#include <vector>

#include "core/result.hpp"
#include "media/audio_file.hpp"
#include "media/ffmpeg_handles.hpp"

namespace synthgate::media::ffmpeg {

// The index of the first audio stream, or -1.
int first_audio_stream(const AVFormatContext* in);

// A decoded frame's samples as floats, one vector per channel (the vectors are reused).
class PlanarFloats {
 public:
  Status convert(const AVFrame* frame);
  std::vector<std::vector<float>>& samples() { return samples_; }

 private:
  SwrPtr swr_;
  int rate_ = 0;
  int channels_ = 0;
  int format_ = -1;
  std::vector<std::vector<float>> samples_;
};

// Decodes the packets of one audio stream, hands the samples to an editor and writes them,
// encoded with the stream's own codec, to an output stream it adds to the muxer.
class SoundTrackEdit {
 public:
  // Adds the output stream to `out`, whose header is not written yet. `bit_rate` 0 keeps the
  // stream's own (when the container says) or the encoder's default.
  static Result<std::unique_ptr<SoundTrackEdit>> open(AVStream* in, AVFormatContext* out,
                                                      AudioBlockEditor editor,
                                                      std::int64_t bit_rate);
  AVStream* out_stream() const { return out_stream_; }
  // Decodes, edits, encodes and writes what the packet completes; the packet is unreferenced.
  Status send(AVPacket* packet);
  // Flushes the decoder, the samples waiting for a whole encoder frame and the encoder.
  Status finish();
  std::int64_t samples() const { return decoded_; }

 private:
  SoundTrackEdit() = default;
  Status drain_decoder();
  Status encode_waiting(bool last);
  Status encode_frame(int count);
  Status write_packets();

  AVStream* in_stream_ = nullptr;
  AVStream* out_stream_ = nullptr;
  AVFormatContext* out_ = nullptr;
  CodecPtr decoder_;
  CodecPtr encoder_;
  SwrPtr to_encoder_;
  AudioFifoPtr fifo_;
  FramePtr frame_;
  PacketPtr packet_;
  PlanarFloats floats_;
  AudioBlockEditor editor_;
  int frame_size_ = 1024;
  bool small_last_ = false;
  std::int64_t first_pts_ = AV_NOPTS_VALUE;  // in 1/sample_rate
  std::int64_t decoded_ = 0;
  std::int64_t encoded_ = 0;
};

}  // namespace synthgate::media::ffmpeg
