#include "media/sound_track.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
}

#include <string>

namespace synthgate::media::ffmpeg {

int first_audio_stream(const AVFormatContext* in) {
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    if (in->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) return static_cast<int>(i);
  }
  return -1;
}

Status PlanarFloats::convert(const AVFrame* frame) {
  const int channels = frame->ch_layout.nb_channels;
  if (!swr_) {
    SwrContext* raw = nullptr;
    // FFmpeg 5.1 takes the layouts by non-const pointer but only reads them.
    auto* layout = const_cast<AVChannelLayout*>(&frame->ch_layout);
    if (int err = swr_alloc_set_opts2(&raw, layout, AV_SAMPLE_FMT_FLTP, frame->sample_rate, layout,
                                      static_cast<AVSampleFormat>(frame->format),
                                      frame->sample_rate, 0, nullptr);
        err < 0) {
      return fail_with(ErrorCode::kInternal, "cannot set up the resampler", err);
    }
    swr_.reset(raw);
    if (int err = swr_init(swr_.get()); err < 0) {
      return fail_with(ErrorCode::kInternal, "cannot set up the resampler", err);
    }
    rate_ = frame->sample_rate;
    channels_ = channels;
    format_ = frame->format;
    samples_.assign(static_cast<std::size_t>(channels), {});
  }
  // The encoder is set up once, from the first frame: a stream that changes its rate or
  // layout on the way is not one we can write back the same way.
  if (frame->sample_rate != rate_ || channels != channels_ || frame->format != format_) {
    return fail(ErrorCode::kUnsupportedMediaType, "the sound track changes its format midway");
  }
  std::vector<std::uint8_t*> outs(samples_.size());
  for (std::size_t c = 0; c < samples_.size(); ++c) {
    samples_[c].resize(static_cast<std::size_t>(frame->nb_samples));
    outs[c] = reinterpret_cast<std::uint8_t*>(samples_[c].data());
  }
  // Same rate in and out: nothing is buffered, every sample comes out now.
  const int got =
      swr_convert(swr_.get(), outs.data(), frame->nb_samples,
                  const_cast<const std::uint8_t**>(frame->extended_data), frame->nb_samples);
  if (got < 0) return fail_with(ErrorCode::kInvalidArgument, "cannot convert samples", got);
  for (auto& c : samples_) c.resize(static_cast<std::size_t>(got));
  return {};
}

Result<std::unique_ptr<SoundTrackEdit>> SoundTrackEdit::open(AVStream* in, AVFormatContext* out,
                                                             AudioBlockEditor editor,
                                                             std::int64_t bit_rate) {
  std::unique_ptr<SoundTrackEdit> t(new SoundTrackEdit());
  t->in_stream_ = in;
  t->out_ = out;
  t->editor_ = std::move(editor);
  const std::string codec = avcodec_get_name(in->codecpar->codec_id);
  const AVCodec* decoder = avcodec_find_decoder(in->codecpar->codec_id);
  if (!decoder) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "no FFmpeg decoder for the sound track's " + codec);
  }
  t->decoder_.reset(avcodec_alloc_context3(decoder));
  if (!t->decoder_) return fail(ErrorCode::kInternal, "out of memory");
  avcodec_parameters_to_context(t->decoder_.get(), in->codecpar);
  t->decoder_->pkt_timebase = in->time_base;
  if (int err = avcodec_open2(t->decoder_.get(), decoder, nullptr); err < 0) {
    return fail_with(ErrorCode::kUnsupportedMediaType, "cannot open the sound track's decoder",
                     err);
  }
  AVCodecContext* dec = t->decoder_.get();
  if (dec->sample_rate <= 0 || dec->ch_layout.nb_channels <= 0) {
    return fail(ErrorCode::kInvalidArgument, "sound track without a sample rate or channels");
  }
  const AVCodec* encoder = audio_encoder(codec);
  if (!encoder) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "no FFmpeg encoder for the sound track's " + codec);
  }
  t->encoder_.reset(avcodec_alloc_context3(encoder));
  AVCodecContext* enc = t->encoder_.get();
  if (!enc) return fail(ErrorCode::kInternal, "out of memory");
  enc->sample_rate = dec->sample_rate;
  if (dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
    av_channel_layout_default(&enc->ch_layout, dec->ch_layout.nb_channels);
  } else {
    av_channel_layout_copy(&enc->ch_layout, &dec->ch_layout);
  }
  // The decoder's sample format when the encoder takes it (keeps bit depth), else its first.
  enc->sample_fmt = encoder->sample_fmts ? encoder->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
  for (const AVSampleFormat* f = encoder->sample_fmts; f && *f != AV_SAMPLE_FMT_NONE; ++f) {
    if (*f == dec->sample_fmt) enc->sample_fmt = dec->sample_fmt;
  }
  if (bit_rate > 0) {
    enc->bit_rate = bit_rate;
  } else if (in->codecpar->bit_rate > 0) {
    enc->bit_rate = in->codecpar->bit_rate;
  }
  enc->time_base = AVRational{1, dec->sample_rate};
  enc->strict_std_compliance = FF_COMPLIANCE_EXPERIMENTAL;
  if (out->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (int err = avcodec_open2(enc, encoder, nullptr); err < 0) {
    return fail_with(ErrorCode::kUnsupportedMediaType,
                     "cannot open the " + codec + " encoder at the sound track's rate and layout",
                     err);
  }
  const bool variable = (encoder->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) != 0;
  t->small_last_ = variable || (encoder->capabilities & AV_CODEC_CAP_SMALL_LAST_FRAME) != 0;
  // AAC takes 1024 samples a frame, Opus 960 at 48 kHz: the FIFO cuts the decoder's frames to
  // the encoder's size.
  t->frame_size_ = enc->frame_size > 0 && !variable ? enc->frame_size : 1024;
  t->fifo_.reset(
      av_audio_fifo_alloc(enc->sample_fmt, enc->ch_layout.nb_channels, 2 * t->frame_size_));
  SwrContext* raw = nullptr;
  if (int err =
          swr_alloc_set_opts2(&raw, &enc->ch_layout, enc->sample_fmt, enc->sample_rate,
                              &enc->ch_layout, AV_SAMPLE_FMT_FLTP, enc->sample_rate, 0, nullptr);
      err < 0) {
    return fail_with(ErrorCode::kInternal, "cannot set up the resampler", err);
  }
  t->to_encoder_.reset(raw);
  if (int err = swr_init(t->to_encoder_.get()); err < 0) {
    return fail_with(ErrorCode::kInternal, "cannot set up the resampler", err);
  }
  t->frame_.reset(av_frame_alloc());
  t->packet_.reset(av_packet_alloc());
  if (!t->fifo_ || !t->frame_ || !t->packet_) return fail(ErrorCode::kInternal, "out of memory");
  t->out_stream_ = avformat_new_stream(out, nullptr);
  if (!t->out_stream_) return fail(ErrorCode::kInternal, "out of memory");
  avcodec_parameters_from_context(t->out_stream_->codecpar, enc);
  t->out_stream_->time_base = enc->time_base;
  return t;
}

Status SoundTrackEdit::send(AVPacket* packet) {
  const int sent = avcodec_send_packet(decoder_.get(), packet);
  av_packet_unref(packet);
  if (sent < 0 && sent != AVERROR(EAGAIN)) {
    return fail_with(ErrorCode::kInvalidArgument, "broken audio packet", sent);
  }
  return drain_decoder();
}

Status SoundTrackEdit::finish() {
  avcodec_send_packet(decoder_.get(), nullptr);
  if (auto ok = drain_decoder(); !ok) return ok;
  if (auto ok = encode_waiting(true); !ok) return ok;
  avcodec_send_frame(encoder_.get(), nullptr);
  return write_packets();
}

Status SoundTrackEdit::drain_decoder() {
  AVCodecContext* enc = encoder_.get();
  while (true) {
    const int err = avcodec_receive_frame(decoder_.get(), frame_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
    if (err < 0) return fail_with(ErrorCode::kInvalidArgument, "broken audio data", err);
    if (first_pts_ == AV_NOPTS_VALUE) {
      // The track keeps its place against the picture: its first sample's time, then one
      // tick a sample (nothing is inserted or removed).
      first_pts_ =
          frame_->best_effort_timestamp == AV_NOPTS_VALUE
              ? 0
              : av_rescale_q(frame_->best_effort_timestamp, in_stream_->time_base, enc->time_base);
    }
    Status converted = floats_.convert(frame_.get());
    av_frame_unref(frame_.get());
    if (!converted) return converted;
    auto& block = floats_.samples();
    const std::size_t count = block.empty() ? 0 : block.front().size();
    if (count == 0) continue;
    if (editor_) {
      if (auto ok = editor_(decoded_, block); !ok) return ok;
      for (const auto& c : block) {
        if (c.size() != count) {
          return fail(ErrorCode::kInternal, "the sound track's editor changed the length");
        }
      }
    }
    decoded_ += static_cast<std::int64_t>(count);
    FramePtr staged(av_frame_alloc());
    if (!staged) return fail(ErrorCode::kInternal, "out of memory");
    staged->nb_samples = static_cast<int>(count);
    staged->format = enc->sample_fmt;
    staged->sample_rate = enc->sample_rate;
    av_channel_layout_copy(&staged->ch_layout, &enc->ch_layout);
    if (int e = av_frame_get_buffer(staged.get(), 0); e < 0) {
      return fail_with(ErrorCode::kInternal, "out of memory", e);
    }
    std::vector<const std::uint8_t*> ins(block.size());
    for (std::size_t c = 0; c < block.size(); ++c) {
      ins[c] = reinterpret_cast<const std::uint8_t*>(block[c].data());
    }
    if (int e = swr_convert(to_encoder_.get(), staged->extended_data, staged->nb_samples,
                            ins.data(), staged->nb_samples);
        e < 0) {
      return fail_with(ErrorCode::kInternal, "cannot convert samples", e);
    }
    if (av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(staged->extended_data),
                            staged->nb_samples) < staged->nb_samples) {
      return fail(ErrorCode::kInternal, "out of memory");
    }
    if (auto ok = encode_waiting(false); !ok) return ok;
  }
}

Status SoundTrackEdit::encode_waiting(bool last) {
  while (av_audio_fifo_size(fifo_.get()) >= frame_size_) {
    if (auto ok = encode_frame(frame_size_); !ok) return ok;
  }
  if (last && av_audio_fifo_size(fifo_.get()) > 0)
    return encode_frame(av_audio_fifo_size(fifo_.get()));
  return {};
}

Status SoundTrackEdit::encode_frame(int count) {
  AVCodecContext* enc = encoder_.get();
  FramePtr f(av_frame_alloc());
  if (!f) return fail(ErrorCode::kInternal, "out of memory");
  // An encoder that takes only whole frames gets the last one padded with silence (less than
  // one frame: the muxers' end trimming, where there is one, takes it off again).
  f->nb_samples = count < frame_size_ && !small_last_ ? frame_size_ : count;
  f->format = enc->sample_fmt;
  f->sample_rate = enc->sample_rate;
  av_channel_layout_copy(&f->ch_layout, &enc->ch_layout);
  if (int e = av_frame_get_buffer(f.get(), 0); e < 0) {
    return fail_with(ErrorCode::kInternal, "out of memory", e);
  }
  if (av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(f->extended_data), count) < count) {
    return fail(ErrorCode::kInternal, "cannot read the audio queue");
  }
  if (f->nb_samples > count) {
    av_samples_set_silence(f->extended_data, count, f->nb_samples - count,
                           enc->ch_layout.nb_channels, enc->sample_fmt);
  }
  f->pts = first_pts_ + encoded_;
  encoded_ += f->nb_samples;
  if (int e = avcodec_send_frame(enc, f.get()); e < 0) {
    return fail_with(ErrorCode::kInternal, "audio encoding failed", e);
  }
  return write_packets();
}

Status SoundTrackEdit::write_packets() {
  while (true) {
    const int err = avcodec_receive_packet(encoder_.get(), packet_.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
    if (err < 0) return fail_with(ErrorCode::kInternal, "audio encoding failed", err);
    av_packet_rescale_ts(packet_.get(), encoder_->time_base, out_stream_->time_base);
    packet_->stream_index = out_stream_->index;
    if (int w = av_interleaved_write_frame(out_, packet_.get()); w < 0) {
      return fail_with(ErrorCode::kIo, "cannot write audio", w);
    }
  }
}

}  // namespace synthgate::media::ffmpeg
