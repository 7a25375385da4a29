#pragma once
// Owners of FFmpeg's C objects, shared by the audio and video files (private to src/media).
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <array>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace synthgate::media::ffmpeg {

struct InputCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct OutputCloser {
  void operator()(AVFormatContext* c) const {
    if (c->pb) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
struct CodecCloser {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameCloser {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketCloser {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwrCloser {
  void operator()(SwrContext* s) const { swr_free(&s); }
};
using InputPtr = std::unique_ptr<AVFormatContext, InputCloser>;
using OutputPtr = std::unique_ptr<AVFormatContext, OutputCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecCloser>;
using FramePtr = std::unique_ptr<AVFrame, FrameCloser>;
using PacketPtr = std::unique_ptr<AVPacket, PacketCloser>;
using SwrPtr = std::unique_ptr<SwrContext, SwrCloser>;
struct SwsCloser {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
using SwsPtr = std::unique_ptr<SwsContext, SwsCloser>;
struct AudioFifoCloser {
  void operator()(AVAudioFifo* f) const { av_audio_fifo_free(f); }
};
using AudioFifoPtr = std::unique_ptr<AVAudioFifo, AudioFifoCloser>;

// The encoder for an audio codec name. Debian's FFmpeg has the reference encoders for Opus
// and Vorbis; they are preferred to the experimental native ones.
inline const AVCodec* audio_encoder(const std::string& codec) {
  if (codec == "opus") {
    if (const AVCodec* c = avcodec_find_encoder_by_name("libopus")) return c;
  }
  if (codec == "vorbis") {
    if (const AVCodec* c = avcodec_find_encoder_by_name("libvorbis")) return c;
  }
  const AVCodecDescriptor* descriptor = avcodec_descriptor_get_by_name(codec.c_str());
  return descriptor ? avcodec_find_encoder(descriptor->id) : nullptr;
}

inline std::string error_text(int code) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> buffer{};
  av_strerror(code, buffer.data(), buffer.size());
  return buffer.data();
}

inline tl::unexpected<Error> fail_with(ErrorCode code, const std::string& what, int err) {
  return fail(code, what + " (" + error_text(err) + ")");
}

// The file opened by its demuxer with its streams read, or why FFmpeg cannot read it.
inline Result<InputPtr> open_input(const char* path) {
  AVFormatContext* raw = nullptr;
  if (int err = avformat_open_input(&raw, path, nullptr, nullptr); err < 0) {
    return fail_with(ErrorCode::kUnsupportedMediaType, "not a media file FFmpeg reads", err);
  }
  InputPtr in(raw);
  if (int err = avformat_find_stream_info(in.get(), nullptr); err < 0) {
    return fail_with(ErrorCode::kUnsupportedMediaType, "cannot read the media streams", err);
  }
  return in;
}

}  // namespace synthgate::media::ffmpeg
