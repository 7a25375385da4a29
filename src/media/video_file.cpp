#include "media/video_file.hpp"

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <opencv2/core.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "media/ffmpeg_handles.hpp"
#include "media/sound_track.hpp"

namespace synthgate::media {

namespace {

using namespace ffmpeg;

// Matroska and WebM share a demuxer; the EBML header's DocType tells them apart.
bool webm_doc_type(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::string head(64, '\0');
  file.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(file.gcount()));
  return head.find("webm") != std::string::npos;
}

std::string video_muxer_for(std::string_view demuxer, const std::filesystem::path& path) {
  if (demuxer.find("mp4") != std::string_view::npos) return "mp4";
  if (demuxer.find("matroska") != std::string_view::npos) {
    return webm_doc_type(path) ? "webm" : "matroska";
  }
  return std::string(demuxer);
}

const AVCodec* video_encoder(AVCodecID id) {
  // The library encoders Debian's FFmpeg carries; FFmpeg's own choice otherwise.
  const char* name = nullptr;
  switch (id) {
    case AV_CODEC_ID_H264:
      name = "libx264";
      break;
    case AV_CODEC_ID_HEVC:
      name = "libx265";
      break;
    case AV_CODEC_ID_VP9:
      name = "libvpx-vp9";
      break;
    case AV_CODEC_ID_AV1:
      name = "libsvtav1";
      break;
    default:
      break;
  }
  if (name) {
    if (const AVCodec* c = avcodec_find_encoder_by_name(name)) return c;
  }
  return avcodec_find_encoder(id);
}

// The input with its first video stream's decoder open, as both reading and editing need.
struct OpenedVideo {
  InputPtr in;
  CodecPtr decoder;
  int stream = -1;
  AVRational rate{25, 1};
  VideoInfo info;
};

Result<OpenedVideo> open_video(const std::filesystem::path& in_path) {
  OpenedVideo v;
  auto in = open_input(in_path.c_str());
  if (!in) return tl::unexpected(in.error());
  v.in = std::move(*in);
  const AVCodec* decoder = nullptr;
  v.stream = av_find_best_stream(v.in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
  if (v.stream < 0 || decoder == nullptr ||
      (v.in->streams[v.stream]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
    return fail(ErrorCode::kUnsupportedMediaType, "no video stream");
  }
  AVStream* vin = v.in->streams[v.stream];
  v.decoder.reset(avcodec_alloc_context3(decoder));
  if (!v.decoder) return fail(ErrorCode::kInternal, "out of memory");
  avcodec_parameters_to_context(v.decoder.get(), vin->codecpar);
  v.decoder->thread_count = 0;
  if (int err = avcodec_open2(v.decoder.get(), decoder, nullptr); err < 0) {
    return fail_with(ErrorCode::kUnsupportedMediaType, "cannot open the video decoder", err);
  }
  v.info.codec = avcodec_get_name(v.decoder->codec_id);
  v.info.container = video_muxer_for(v.in->iformat->name, in_path);
  v.info.width = v.decoder->width;
  v.info.height = v.decoder->height;
  v.rate = av_guess_frame_rate(v.in.get(), vin, nullptr);
  v.info.frame_rate = v.rate.num > 0 && v.rate.den > 0 ? av_q2d(v.rate) : 25.0;
  if (v.in->duration != AV_NOPTS_VALUE) {
    v.info.duration_seconds = static_cast<double>(v.in->duration) / AV_TIME_BASE;
  }
  if (v.info.width <= 0 || v.info.height <= 0) {
    return fail(ErrorCode::kInvalidArgument, "video without a frame size");
  }
  return v;
}

// Seconds from the stream's start to the frame.
double frame_seconds(const AVFrame* f, const AVStream* vin, const VideoInfo& info) {
  if (f->best_effort_timestamp == AV_NOPTS_VALUE) {
    return static_cast<double>(info.frames) / info.frame_rate;
  }
  return static_cast<double>(f->best_effort_timestamp -
                             (vin->start_time == AV_NOPTS_VALUE ? 0 : vin->start_time)) *
         av_q2d(vin->time_base);
}

// The frame's 8-bit luma as a view of its own plane, or an empty matrix when the pixel
// format does not keep it so (RGB, packed YUV, more than 8 bits).
cv::Mat luma_plane(AVFrame* f) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f->format));
  if (d == nullptr || (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BE |
                                   AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM))) {
    return {};
  }
  const AVComponentDescriptor& y = d->comp[0];
  if (y.plane != 0 || y.depth != 8 || y.step != 1 || y.offset != 0 || y.shift != 0) return {};
  for (int c = 1; c < d->nb_components; ++c) {
    if (d->comp[c].plane == 0) return {};
  }
  return cv::Mat(f->height, f->width, CV_8UC1, f->data[0],
                 static_cast<std::size_t>(f->linesize[0]));
}

}  // namespace

bool has_video_stream(const std::filesystem::path& path) {
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) return false;
  InputPtr in(raw);
  // A still image (FFmpeg's image2 and *_pipe demuxers, which go by the file name or a loose
  // signature) is not a video: our image codecs judge those by their bytes.
  const std::string_view demuxer = in->iformat->name;
  if (demuxer == "image2" || demuxer.ends_with("_pipe")) return false;
  if (avformat_find_stream_info(in.get(), nullptr) < 0) return false;
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    const AVStream* s = in->streams[i];
    if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && s->codecpar->width > 0 &&
        !(s->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
      return true;
    }
  }
  return false;
}

StreamKinds media_stream_kinds(const std::filesystem::path& path) {
  StreamKinds kinds;
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) return kinds;
  InputPtr in(raw);
  if (avformat_find_stream_info(in.get(), nullptr) < 0) return kinds;
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    const AVStream* s = in->streams[i];
    if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
        !(s->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
      kinds.video = true;
    }
    if (s->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) kinds.audio = true;
  }
  return kinds;
}

Result<VideoInfo> edit_video_file(const std::filesystem::path& in_path,
                                  const std::filesystem::path& out_path,
                                  const VideoEncodeSettings& settings, const FrameEditor& editor,
                                  const ProgressCallback& progress, const SoundTrackEditor& sound) {
  auto opened = open_video(in_path);
  if (!opened) return tl::unexpected(opened.error());
  InputPtr& in = opened->in;
  CodecPtr& dec = opened->decoder;
  const int vindex = opened->stream;
  AVStream* vin = in->streams[vindex];
  VideoInfo info = opened->info;
  const AVRational rate = opened->rate;

  const AVCodec* encoder = video_encoder(dec->codec_id);
  if (!encoder) {
    return fail(ErrorCode::kUnsupportedMediaType, "no FFmpeg encoder for " + info.codec);
  }
  AVFormatContext* out_raw = nullptr;
  if (int err = avformat_alloc_output_context2(&out_raw, nullptr, info.container.c_str(),
                                               out_path.c_str());
      err < 0 || out_raw == nullptr) {
    return fail_with(ErrorCode::kUnsupportedMediaType, "no FFmpeg muxer " + info.container, err);
  }
  OutputPtr out(out_raw);
  CodecPtr enc(avcodec_alloc_context3(encoder));
  if (!enc) return fail(ErrorCode::kInternal, "out of memory");
  enc->width = dec->width;
  enc->height = dec->height;
  enc->sample_aspect_ratio = dec->sample_aspect_ratio;
  enc->pix_fmt = encoder->pix_fmts ? encoder->pix_fmts[0] : dec->pix_fmt;
  for (const AVPixelFormat* f = encoder->pix_fmts; f && *f != AV_PIX_FMT_NONE; ++f) {
    if (*f == dec->pix_fmt) enc->pix_fmt = dec->pix_fmt;
  }
  enc->color_range = dec->color_range;
  enc->color_primaries = dec->color_primaries;
  enc->color_trc = dec->color_trc;
  enc->colorspace = dec->colorspace;
  enc->time_base = vin->time_base;
  enc->framerate = rate;
  enc->thread_count = 0;
  if (settings.crf >= 0) {
    av_opt_set_int(enc->priv_data, "crf", settings.crf, 0);
  } else if (settings.bit_rate > 0) {
    enc->bit_rate = settings.bit_rate;
  } else if (vin->codecpar->bit_rate > 0 && dec->codec_id != AV_CODEC_ID_H264 &&
             dec->codec_id != AV_CODEC_ID_HEVC) {
    enc->bit_rate = vin->codecpar->bit_rate;
  }
  if (!settings.preset.empty()) av_opt_set(enc->priv_data, "preset", settings.preset.c_str(), 0);
  if (out->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (int err = avcodec_open2(enc.get(), encoder, nullptr); err < 0) {
    return fail_with(ErrorCode::kUnsupportedMediaType, "cannot open the " + info.codec + " encoder",
                     err);
  }
  // One output stream per input stream, in the same order; only the video is re-encoded, and
  // the first audio stream when its samples are to be edited.
  std::vector<int> map(in->nb_streams, -1);
  const int aindex = sound.edit ? first_audio_stream(in.get()) : -1;
  std::unique_ptr<SoundTrackEdit> track;
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    AVStream* s = in->streams[i];
    const auto type = s->codecpar->codec_type;
    if (static_cast<int>(i) != vindex && type != AVMEDIA_TYPE_AUDIO &&
        type != AVMEDIA_TYPE_SUBTITLE) {
      continue;
    }
    AVStream* o = nullptr;
    if (static_cast<int>(i) == aindex) {
      auto opened_track = SoundTrackEdit::open(s, out.get(), sound.edit, sound.bit_rate);
      if (!opened_track) return tl::unexpected(opened_track.error());
      track = std::move(*opened_track);
      o = track->out_stream();
    } else {
      o = avformat_new_stream(out.get(), nullptr);
    }
    if (!o) return fail(ErrorCode::kInternal, "out of memory");
    if (static_cast<int>(i) == aindex) {
      // Set up by the sound track's encoder.
    } else if (static_cast<int>(i) == vindex) {
      avcodec_parameters_from_context(o->codecpar, enc.get());
      o->time_base = enc->time_base;
      o->avg_frame_rate = vin->avg_frame_rate;
    } else {
      avcodec_parameters_copy(o->codecpar, s->codecpar);
      o->codecpar->codec_tag = 0;
      o->time_base = s->time_base;
    }
    av_dict_copy(&o->metadata, s->metadata, 0);
    o->disposition = s->disposition;
    map[i] = o->index;
  }
  av_dict_copy(&out->metadata, in->metadata, 0);
  if (int err = avio_open(&out->pb, out_path.c_str(), AVIO_FLAG_WRITE); err < 0) {
    return fail_with(ErrorCode::kIo, "cannot write " + out_path.string(), err);
  }
  if (int err = avformat_write_header(out.get(), nullptr); err < 0) {
    return fail_with(ErrorCode::kInternal, "cannot write the container header", err);
  }
  AVStream* vout = out->streams[map[static_cast<std::size_t>(vindex)]];

  SwsPtr to_bgr;
  SwsPtr from_bgr;
  cv::Mat bgr(info.height, info.width, CV_8UC3);
  PacketPtr packet(av_packet_alloc());
  PacketPtr encoded(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  const auto write_encoded = [&]() -> Status {
    while (true) {
      const int err = avcodec_receive_packet(enc.get(), encoded.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
      if (err < 0) return fail_with(ErrorCode::kInternal, "video encoding failed", err);
      av_packet_rescale_ts(encoded.get(), enc->time_base, vout->time_base);
      encoded->stream_index = vout->index;
      if (int w = av_interleaved_write_frame(out.get(), encoded.get()); w < 0) {
        return fail_with(ErrorCode::kIo, "cannot write video", w);
      }
    }
  };
  const auto edit_frame = [&](AVFrame* f) -> Status {
    const double seconds = frame_seconds(f, vin, info);
    if (!editor.wants || !editor.wants(seconds, info)) return {};
    if (editor.edit_luma && !(editor.wants_bgr && editor.wants_bgr(seconds, info))) {
      if (av_frame_make_writable(f) < 0) return fail(ErrorCode::kInternal, "out of memory");
      if (cv::Mat luma = luma_plane(f); !luma.empty()) {
        if (auto ok = editor.edit_luma(luma); !ok) return ok;
        ++info.edited_frames;
        return {};
      }
    }
    if (!editor.edit) return fail(ErrorCode::kInternal, "no BGR editor for this pixel format");
    const auto format = static_cast<AVPixelFormat>(f->format);
    if (!to_bgr) {
      to_bgr.reset(sws_getContext(f->width, f->height, format, info.width, info.height,
                                  AV_PIX_FMT_BGR24, SWS_BILINEAR, nullptr, nullptr, nullptr));
      from_bgr.reset(sws_getContext(info.width, info.height, AV_PIX_FMT_BGR24, f->width, f->height,
                                    format, SWS_BILINEAR, nullptr, nullptr, nullptr));
      if (!to_bgr || !from_bgr) return fail(ErrorCode::kInternal, "cannot convert video frames");
    }
    if (av_frame_make_writable(f) < 0) return fail(ErrorCode::kInternal, "out of memory");
    std::uint8_t* bgr_data[1] = {bgr.data};
    const int bgr_stride[1] = {static_cast<int>(bgr.step[0])};
    sws_scale(to_bgr.get(), f->data, f->linesize, 0, f->height, bgr_data, bgr_stride);
    if (auto ok = editor.edit(bgr); !ok) return ok;
    const std::uint8_t* const src[1] = {bgr.data};
    sws_scale(from_bgr.get(), src, bgr_stride, 0, info.height, f->data, f->linesize);
    ++info.edited_frames;
    return {};
  };
  const auto decode_ready = [&]() -> Status {
    while (true) {
      const int err = avcodec_receive_frame(dec.get(), frame.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
      if (err < 0) return fail_with(ErrorCode::kInvalidArgument, "broken video data", err);
      if (auto ok = edit_frame(frame.get()); !ok) return ok;
      frame->pts = frame->best_effort_timestamp;
      frame->pict_type = AV_PICTURE_TYPE_NONE;
      const int sent = avcodec_send_frame(enc.get(), frame.get());
      av_frame_unref(frame.get());
      if (sent < 0) return fail_with(ErrorCode::kInternal, "video encoding failed", sent);
      ++info.frames;
      if (auto ok = write_encoded(); !ok) return ok;
    }
  };
  while (true) {
    const int err = av_read_frame(in.get(), packet.get());
    if (err == AVERROR_EOF) break;
    if (err < 0) return fail_with(ErrorCode::kInvalidArgument, "cannot read the video", err);
    const auto index = static_cast<std::size_t>(packet->stream_index);
    if (packet->stream_index == vindex) {
      if (progress && info.duration_seconds > 0 && packet->pts != AV_NOPTS_VALUE) {
        progress(static_cast<double>(packet->pts) * av_q2d(vin->time_base) / info.duration_seconds);
      }
      const int sent = avcodec_send_packet(dec.get(), packet.get());
      av_packet_unref(packet.get());
      if (sent < 0 && sent != AVERROR(EAGAIN)) {
        return fail_with(ErrorCode::kInvalidArgument, "broken video packet", sent);
      }
      if (auto ok = decode_ready(); !ok) return tl::unexpected(ok.error());
    } else if (packet->stream_index == aindex) {
      if (auto ok = track->send(packet.get()); !ok) return tl::unexpected(ok.error());
    } else if (index < map.size() && map[index] >= 0) {
      AVStream* o = out->streams[map[index]];
      av_packet_rescale_ts(packet.get(), in->streams[index]->time_base, o->time_base);
      packet->stream_index = o->index;
      packet->pos = -1;
      if (int w = av_interleaved_write_frame(out.get(), packet.get()); w < 0) {
        return fail_with(ErrorCode::kIo, "cannot copy a stream", w);
      }
    } else {
      av_packet_unref(packet.get());
    }
  }
  avcodec_send_packet(dec.get(), nullptr);
  if (auto ok = decode_ready(); !ok) return tl::unexpected(ok.error());
  avcodec_send_frame(enc.get(), nullptr);
  if (auto ok = write_encoded(); !ok) return tl::unexpected(ok.error());
  if (track) {
    if (auto ok = track->finish(); !ok) return tl::unexpected(ok.error());
    info.sound_samples = track->samples();
  }
  if (int err = av_write_trailer(out.get()); err < 0) {
    return fail_with(ErrorCode::kIo, "cannot finish the file", err);
  }
  if (info.frames == 0) return fail(ErrorCode::kInvalidArgument, "video holds no frames");
  if (progress) progress(1.0);
  return info;
}

Result<VideoInfo> read_video_frames(const std::filesystem::path& path, const FrameReader& reader,
                                    const ProgressCallback& progress) {
  auto opened = open_video(path);
  if (!opened) return tl::unexpected(opened.error());
  AVFormatContext* in = opened->in.get();
  AVCodecContext* dec = opened->decoder.get();
  const int vindex = opened->stream;
  const AVStream* vin = in->streams[vindex];
  VideoInfo info = opened->info;
  // Other streams are not even demuxed into packets worth keeping.
  for (unsigned i = 0; i < in->nb_streams; ++i) {
    if (static_cast<int>(i) != vindex) in->streams[i]->discard = AVDISCARD_ALL;
  }
  SwsPtr to_gray;
  cv::Mat gray(info.height, info.width, CV_8UC1);
  PacketPtr packet(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  const auto look_at = [&](AVFrame* f) -> Status {
    if (!reader.wants || !reader.wants(frame_seconds(f, vin, info), info)) return {};
    cv::Mat luma = luma_plane(f);
    if (luma.empty()) {
      if (!to_gray) {
        to_gray.reset(sws_getContext(f->width, f->height, static_cast<AVPixelFormat>(f->format),
                                     info.width, info.height, AV_PIX_FMT_GRAY8, SWS_BILINEAR,
                                     nullptr, nullptr, nullptr));
        if (!to_gray) return fail(ErrorCode::kInternal, "cannot convert video frames");
      }
      std::uint8_t* gray_data[1] = {gray.data};
      const int gray_stride[1] = {static_cast<int>(gray.step[0])};
      sws_scale(to_gray.get(), f->data, f->linesize, 0, f->height, gray_data, gray_stride);
      luma = gray;
    }
    if (auto ok = reader.look(luma); !ok) return ok;
    ++info.edited_frames;
    return {};
  };
  const auto decode_ready = [&]() -> Status {
    while (true) {
      const int err = avcodec_receive_frame(dec, frame.get());
      if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return {};
      if (err < 0) return fail_with(ErrorCode::kInvalidArgument, "broken video data", err);
      const Status looked = look_at(frame.get());
      av_frame_unref(frame.get());
      if (!looked) return looked;
      ++info.frames;
    }
  };
  while (true) {
    const int err = av_read_frame(in, packet.get());
    if (err == AVERROR_EOF) break;
    if (err < 0) return fail_with(ErrorCode::kInvalidArgument, "cannot read the video", err);
    if (packet->stream_index != vindex) {
      av_packet_unref(packet.get());
      continue;
    }
    if (progress && info.duration_seconds > 0 && packet->pts != AV_NOPTS_VALUE) {
      progress(static_cast<double>(packet->pts) * av_q2d(vin->time_base) / info.duration_seconds);
    }
    const int sent = avcodec_send_packet(dec, packet.get());
    av_packet_unref(packet.get());
    if (sent < 0 && sent != AVERROR(EAGAIN)) {
      return fail_with(ErrorCode::kInvalidArgument, "broken video packet", sent);
    }
    if (auto ok = decode_ready(); !ok) return tl::unexpected(ok.error());
  }
  avcodec_send_packet(dec, nullptr);
  if (auto ok = decode_ready(); !ok) return tl::unexpected(ok.error());
  if (info.frames == 0) return fail(ErrorCode::kInvalidArgument, "video holds no frames");
  if (progress) progress(1.0);
  return info;
}

}  // namespace synthgate::media
