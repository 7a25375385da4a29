#include "media/audio_file.hpp"

#include "media/ffmpeg_handles.hpp"
#include "media/sound_track.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include <algorithm>
#include <array>
#include <memory>

namespace synthgate::media {

namespace {

using namespace ffmpeg;

tl::unexpected<Error> av_fail(ErrorCode code, const std::string& what, int err) {
  return fail_with(code, what, err);
}

// The muxer that writes what the demuxer read.
std::string muxer_for(std::string_view demuxer, std::string_view codec) {
  if (demuxer.find("mp4") != std::string_view::npos) {
    return codec == "aac" || codec == "alac" ? "ipod" : "mp4";
  }
  if (demuxer.find("matroska") != std::string_view::npos) return "matroska";
  return std::string(demuxer);
}

// The decoder of `stream` opened, and the stream described as the writer will need it.
struct OpenedAudioDecoder {
  CodecPtr ctx;
  AudioFormat format;
};

Result<OpenedAudioDecoder> open_audio_decoder(const AVFormatContext* in, const AVStream* stream,
                                              const AVCodec* decoder) {
  CodecPtr ctx(avcodec_alloc_context3(decoder));
  if (!ctx) return fail(ErrorCode::kInternal, "out of memory");
  if (int err = avcodec_parameters_to_context(ctx.get(), stream->codecpar); err < 0) {
    return av_fail(ErrorCode::kInvalidArgument, "bad audio parameters", err);
  }
  ctx->pkt_timebase = stream->time_base;
  if (int err = avcodec_open2(ctx.get(), decoder, nullptr); err < 0) {
    return av_fail(ErrorCode::kUnsupportedMediaType, "cannot open the audio decoder", err);
  }
  if (ctx->sample_rate <= 0 || ctx->ch_layout.nb_channels <= 0) {
    return fail(ErrorCode::kInvalidArgument, "audio without a sample rate or channels");
  }
  AudioFormat format;
  format.codec = avcodec_get_name(ctx->codec_id);
  format.container = muxer_for(in->iformat->name, format.codec);
  format.sample_rate = ctx->sample_rate;
  format.channels = ctx->ch_layout.nb_channels;
  std::array<char, 128> layout{};
  av_channel_layout_describe(&ctx->ch_layout, layout.data(), layout.size());
  format.channel_layout = layout.data();
  format.bit_rate = stream->codecpar->bit_rate;
  format.sample_format = av_get_sample_fmt_name(ctx->sample_fmt);
  return OpenedAudioDecoder{std::move(ctx), std::move(format)};
}

}  // namespace

void keep_codec_logs_to_errors() {
  av_log_set_level(AV_LOG_ERROR);
}

Result<DecodedAudio> decode_audio_file(const std::filesystem::path& path, double max_seconds,
                                       const ProgressCallback& progress) {
  auto opened_input = open_input(path.c_str());
  if (!opened_input) return tl::unexpected(opened_input.error());
  InputPtr in = std::move(*opened_input);
  const AVCodec* decoder = nullptr;
  const int index = av_find_best_stream(in.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
  if (index < 0 || decoder == nullptr) {
    return fail(ErrorCode::kUnsupportedMediaType, "no audio stream");
  }
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    if (in->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
        !(in->streams[i]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
      return fail(ErrorCode::kUnsupportedMediaType, "a video file, not an audio file");
    }
  }
  AVStream* stream = in->streams[index];
  auto opened = open_audio_decoder(in.get(), stream, decoder);
  if (!opened) return tl::unexpected(opened.error());
  CodecPtr ctx = std::move(opened->ctx);
  if (in->duration != AV_NOPTS_VALUE &&
      static_cast<double>(in->duration) / AV_TIME_BASE > max_seconds) {
    return fail(ErrorCode::kPayloadTooLarge, "audio is longer than allowed");
  }
  DecodedAudio audio;
  const AudioFormat& format = audio.format = std::move(opened->format);
  audio.channels.assign(static_cast<std::size_t>(format.channels), {});

  SwrContext* swr_raw = nullptr;
  if (int err = swr_alloc_set_opts2(&swr_raw, &ctx->ch_layout, AV_SAMPLE_FMT_FLTP, ctx->sample_rate,
                                    &ctx->ch_layout, ctx->sample_fmt, ctx->sample_rate, 0, nullptr);
      err < 0) {
    return av_fail(ErrorCode::kInternal, "cannot set up the resampler", err);
  }
  SwrPtr swr(swr_raw);
  if (int err = swr_init(swr.get()); err < 0) {
    return av_fail(ErrorCode::kInternal, "cannot set up the resampler", err);
  }
  const std::size_t max_frames = static_cast<std::size_t>(max_seconds * ctx->sample_rate);
  std::vector<std::vector<float>> scratch(audio.channels.size());
  std::vector<std::uint8_t*> outs(audio.channels.size());
  const auto convert = [&](const std::uint8_t** data, int count) -> Status {
    const int room = swr_get_out_samples(swr.get(), count);
    if (room <= 0) return {};
    for (std::size_t c = 0; c < scratch.size(); ++c) {
      scratch[c].resize(static_cast<std::size_t>(room));
      outs[c] = reinterpret_cast<std::uint8_t*>(scratch[c].data());
    }
    const int got = swr_convert(swr.get(), outs.data(), room, data, count);
    if (got < 0) return av_fail(ErrorCode::kInvalidArgument, "cannot convert samples", got);
    for (std::size_t c = 0; c < scratch.size(); ++c) {
      audio.channels[c].insert(audio.channels[c].end(), scratch[c].begin(),
                               scratch[c].begin() + got);
    }
    if (audio.frames() > max_frames) {
      return fail(ErrorCode::kPayloadTooLarge, "audio is longer than allowed");
    }
    return {};
  };
  FramePtr frame(av_frame_alloc());
  PacketPtr packet(av_packet_alloc());
  const auto drain = [&]() -> Status {
    while (true) {
      const int err = avcodec_receive_frame(ctx.get(), frame.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
      if (err < 0) return av_fail(ErrorCode::kInvalidArgument, "broken audio data", err);
      auto ok = convert(const_cast<const std::uint8_t**>(frame->extended_data), frame->nb_samples);
      av_frame_unref(frame.get());
      if (!ok) return ok;
    }
  };
  const double duration =
      in->duration != AV_NOPTS_VALUE ? static_cast<double>(in->duration) / AV_TIME_BASE : 0.0;
  while (true) {
    const int err = av_read_frame(in.get(), packet.get());
    if (err == AVERROR_EOF) break;
    if (err < 0) return av_fail(ErrorCode::kInvalidArgument, "cannot read the audio", err);
    if (packet->stream_index == index) {
      const int sent = avcodec_send_packet(ctx.get(), packet.get());
      if (sent < 0 && sent != AVERROR(EAGAIN)) {
        av_packet_unref(packet.get());
        return av_fail(ErrorCode::kInvalidArgument, "broken audio packet", sent);
      }
      if (progress && duration > 0 && packet->pts != AV_NOPTS_VALUE) {
        progress(
            std::min(1.0, static_cast<double>(packet->pts) * av_q2d(stream->time_base) / duration));
      }
    }
    av_packet_unref(packet.get());
    if (auto ok = drain(); !ok) return tl::unexpected(ok.error());
  }
  avcodec_send_packet(ctx.get(), nullptr);
  if (auto ok = drain(); !ok) return tl::unexpected(ok.error());
  if (auto ok = convert(nullptr, 0); !ok) return tl::unexpected(ok.error());
  if (audio.frames() == 0) return fail(ErrorCode::kInvalidArgument, "audio holds no samples");
  return audio;
}

Result<AudioStreamInfo> read_audio_stream(const std::filesystem::path& path,
                                          const AudioBlockVisitor& visit,
                                          const ProgressCallback& progress) {
  auto opened_input = open_input(path.c_str());
  if (!opened_input) return tl::unexpected(opened_input.error());
  InputPtr in = std::move(*opened_input);
  const int index = first_audio_stream(in.get());
  if (index < 0) return fail(ErrorCode::kUnsupportedMediaType, "no audio stream");
  // The pictures are not even demuxed into packets worth keeping.
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    if (static_cast<int>(i) != index) in->streams[i]->discard = AVDISCARD_ALL;
  }
  AVStream* stream = in->streams[index];
  const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!decoder) return fail(ErrorCode::kUnsupportedMediaType, "no decoder for the audio stream");
  auto opened = open_audio_decoder(in.get(), stream, decoder);
  if (!opened) return tl::unexpected(opened.error());
  CodecPtr ctx = std::move(opened->ctx);
  AudioStreamInfo info;
  AudioFormat& format = info.format = std::move(opened->format);
  const double duration =
      in->duration != AV_NOPTS_VALUE ? static_cast<double>(in->duration) / AV_TIME_BASE : 0.0;

  PlanarFloats floats;
  std::int64_t packet_bytes = 0;
  FramePtr frame(av_frame_alloc());
  PacketPtr packet(av_packet_alloc());
  const auto drain = [&]() -> Status {
    while (true) {
      const int err = avcodec_receive_frame(ctx.get(), frame.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
      if (err < 0) return av_fail(ErrorCode::kInvalidArgument, "broken audio data", err);
      Status ok = floats.convert(frame.get());
      av_frame_unref(frame.get());
      if (!ok) return ok;
      const auto& block = floats.samples();
      const std::size_t count = block.empty() ? 0 : block.front().size();
      if (count == 0) continue;
      if (visit) {
        if (auto seen = visit(format, info.samples, block); !seen) return seen;
      }
      info.samples += static_cast<std::int64_t>(count);
    }
  };
  while (true) {
    const int err = av_read_frame(in.get(), packet.get());
    if (err == AVERROR_EOF) break;
    if (err < 0) return av_fail(ErrorCode::kInvalidArgument, "cannot read the audio", err);
    if (packet->stream_index != index) {
      av_packet_unref(packet.get());
      continue;
    }
    packet_bytes += packet->size;
    if (progress && duration > 0 && packet->pts != AV_NOPTS_VALUE) {
      progress(
          std::min(1.0, static_cast<double>(packet->pts) * av_q2d(stream->time_base) / duration));
    }
    const int sent = avcodec_send_packet(ctx.get(), packet.get());
    av_packet_unref(packet.get());
    if (sent < 0 && sent != AVERROR(EAGAIN)) {
      return av_fail(ErrorCode::kInvalidArgument, "broken audio packet", sent);
    }
    if (auto ok = drain(); !ok) return tl::unexpected(ok.error());
  }
  avcodec_send_packet(ctx.get(), nullptr);
  if (auto ok = drain(); !ok) return tl::unexpected(ok.error());
  if (info.samples == 0) return fail(ErrorCode::kInvalidArgument, "audio holds no samples");
  // Matroska does not say a stream's bit rate: the mean of its packets stands in for it.
  if (format.bit_rate <= 0 && format.codec.rfind("pcm_", 0) != 0) {
    format.bit_rate =
        static_cast<std::int64_t>(static_cast<double>(packet_bytes) * 8.0 / info.seconds());
  }
  if (progress) progress(1.0);
  return info;
}

Status encode_audio_file(const DecodedAudio& audio, const std::filesystem::path& path,
                         const ProgressCallback& progress) {
  const AudioFormat& format = audio.format;
  if (audio.channels.size() != static_cast<std::size_t>(format.channels) ||
      format.sample_rate <= 0) {
    return fail(ErrorCode::kInvalidArgument, "audio channels do not match the format");
  }
  const AVCodec* encoder = audio_encoder(format.codec);
  if (!encoder) {
    return fail(ErrorCode::kUnsupportedMediaType, "no FFmpeg encoder for " + format.codec);
  }
  AVFormatContext* out_raw = nullptr;
  if (int err =
          avformat_alloc_output_context2(&out_raw, nullptr, format.container.c_str(), path.c_str());
      err < 0 || out_raw == nullptr) {
    return av_fail(ErrorCode::kUnsupportedMediaType, "no FFmpeg muxer " + format.container, err);
  }
  OutputPtr out(out_raw);
  CodecPtr ctx(avcodec_alloc_context3(encoder));
  if (!ctx) return fail(ErrorCode::kInternal, "out of memory");
  ctx->sample_rate = format.sample_rate;
  if (av_channel_layout_from_string(&ctx->ch_layout, format.channel_layout.c_str()) < 0 ||
      ctx->ch_layout.nb_channels != format.channels) {
    av_channel_layout_uninit(&ctx->ch_layout);
    av_channel_layout_default(&ctx->ch_layout, format.channels);
  }
  // The input's sample format when the encoder takes it (keeps bit depth), else its first.
  const AVSampleFormat wanted = av_get_sample_fmt(format.sample_format.c_str());
  ctx->sample_fmt = encoder->sample_fmts ? encoder->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
  for (const AVSampleFormat* f = encoder->sample_fmts; f && *f != AV_SAMPLE_FMT_NONE; ++f) {
    if (*f == wanted) ctx->sample_fmt = wanted;
  }
  if (format.bit_rate > 0) ctx->bit_rate = format.bit_rate;
  ctx->time_base = AVRational{1, format.sample_rate};
  ctx->strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL;
  if (out->oformat->flags & AVFMT_GLOBALHEADER) ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (int err = avcodec_open2(ctx.get(), encoder, nullptr); err < 0) {
    return av_fail(ErrorCode::kUnsupportedMediaType,
                   "cannot open the " + format.codec + " encoder at this rate and layout", err);
  }
  AVStream* stream = avformat_new_stream(out.get(), nullptr);
  if (!stream) return fail(ErrorCode::kInternal, "out of memory");
  avcodec_parameters_from_context(stream->codecpar, ctx.get());
  stream->time_base = ctx->time_base;
  if (int err = avio_open(&out->pb, path.c_str(), AVIO_FLAG_WRITE); err < 0) {
    return av_fail(ErrorCode::kIo, "cannot write " + path.string(), err);
  }
  if (int err = avformat_write_header(out.get(), nullptr); err < 0) {
    return av_fail(ErrorCode::kInternal, "cannot write the container header", err);
  }
  SwrContext* swr_raw = nullptr;
  if (int err =
          swr_alloc_set_opts2(&swr_raw, &ctx->ch_layout, ctx->sample_fmt, ctx->sample_rate,
                              &ctx->ch_layout, AV_SAMPLE_FMT_FLTP, ctx->sample_rate, 0, nullptr);
      err < 0) {
    return av_fail(ErrorCode::kInternal, "cannot set up the resampler", err);
  }
  SwrPtr swr(swr_raw);
  if (int err = swr_init(swr.get()); err < 0) {
    return av_fail(ErrorCode::kInternal, "cannot set up the resampler", err);
  }
  const bool variable = (encoder->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0;
  const bool small_last = (encoder->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME) != 0;
  const std::size_t frame_size =
      ctx->frame_size > 0 && !variable ? static_cast<std::size_t>(ctx->frame_size) : 1024;
  PacketPtr packet(av_packet_alloc());
  const auto write_packets = [&]() -> Status {
    while (true) {
      const int err = avcodec_receive_packet(ctx.get(), packet.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
      if (err < 0) return av_fail(ErrorCode::kInternal, "audio encoding failed", err);
      av_packet_rescale_ts(packet.get(), ctx->time_base, stream->time_base);
      packet->stream_index = stream->index;
      if (int w = av_interleaved_write_frame(out.get(), packet.get()); w < 0) {
        return av_fail(ErrorCode::kIo, "cannot write audio", w);
      }
    }
  };
  const std::size_t total = audio.frames();
  std::vector<float> silence(frame_size, 0.0f);
  std::vector<const std::uint8_t*> ins(audio.channels.size());
  for (std::size_t pos = 0; pos < total; pos += frame_size) {
    const std::size_t n = std::min(frame_size, total - pos);
    const std::size_t frame_n = (n < frame_size && !small_last && !variable) ? frame_size : n;
    std::vector<std::vector<float>> padded;
    for (std::size_t c = 0; c < ins.size(); ++c) {
      if (frame_n == n) {
        ins[c] = reinterpret_cast<const std::uint8_t*>(audio.channels[c].data() + pos);
      } else {
        padded.emplace_back(frame_n, 0.0f);
        std::copy_n(audio.channels[c].begin() + static_cast<std::ptrdiff_t>(pos), n,
                    padded.back().begin());
        ins[c] = reinterpret_cast<const std::uint8_t*>(padded.back().data());
      }
    }
    FramePtr frame(av_frame_alloc());
    frame->nb_samples = static_cast<int>(frame_n);
    frame->format = ctx->sample_fmt;
    frame->sample_rate = ctx->sample_rate;
    av_channel_layout_copy(&frame->ch_layout, &ctx->ch_layout);
    if (int err = av_frame_get_buffer(frame.get(), 0); err < 0) {
      return av_fail(ErrorCode::kInternal, "out of memory", err);
    }
    if (int err = swr_convert(swr.get(), frame->extended_data, frame->nb_samples, ins.data(),
                              frame->nb_samples);
        err < 0) {
      return av_fail(ErrorCode::kInternal, "cannot convert samples", err);
    }
    frame->pts = static_cast<std::int64_t>(pos);
    if (int err = avcodec_send_frame(ctx.get(), frame.get()); err < 0) {
      return av_fail(ErrorCode::kInternal, "audio encoding failed", err);
    }
    if (auto ok = write_packets(); !ok) return ok;
    if (progress) progress(static_cast<double>(pos + n) / static_cast<double>(total));
  }
  avcodec_send_frame(ctx.get(), nullptr);
  if (auto ok = write_packets(); !ok) return ok;
  if (int err = av_write_trailer(out.get()); err < 0) {
    return av_fail(ErrorCode::kIo, "cannot finish the file", err);
  }
  return {};
}

}  // namespace synthgate::media
