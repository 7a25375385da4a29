#include "media/animated_webp.hpp"

#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include <opencv2/core.hpp>

#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace synthgate::media {

namespace {

struct DemuxDelete {
  void operator()(WebPDemuxer* d) const { WebPDemuxDelete(d); }
};
struct DecoderDelete {
  void operator()(WebPAnimDecoder* d) const { WebPAnimDecoderDelete(d); }
};
struct EncoderDelete {
  void operator()(WebPAnimEncoder* e) const { WebPAnimEncoderDelete(e); }
};
struct MuxDelete {
  void operator()(WebPMux* m) const { WebPMuxDelete(m); }
};

// WebPData that frees what libwebp allocated for it.
struct OwnedData {
  WebPData data;
  OwnedData() { WebPDataInit(&data); }
  ~OwnedData() { WebPDataClear(&data); }
  OwnedData(const OwnedData&) = delete;
  OwnedData& operator=(const OwnedData&) = delete;
};

bool is_webp(ByteView bytes) {
  return bytes.size() >= 12 && std::memcmp(bytes.data(), "RIFF", 4) == 0 &&
         std::memcmp(bytes.data() + 8, "WEBP", 4) == 0;
}

tl::unexpected<Error> broken(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "cannot decode WebP: " + why);
}

// Per frame, whether it is stored lossless (VP8L) or lossy (VP8, with or without ALPH).
std::vector<bool> lossless_frames(const WebPDemuxer* demux) {
  std::vector<bool> lossless;
  WebPIterator it;
  if (WebPDemuxGetFrame(demux, 1, &it) == 0) return lossless;
  do {
    const bool vp8l = it.fragment.size >= 4 && std::memcmp(it.fragment.bytes, "VP8L", 4) == 0;
    lossless.push_back(vp8l);
  } while (WebPDemuxNextFrame(&it) != 0);
  WebPDemuxReleaseIterator(&it);
  return lossless;
}

std::string encoding_of(const std::vector<bool>& lossless) {
  bool any_lossless = false;
  bool any_lossy = false;
  for (const bool l : lossless) (l ? any_lossless : any_lossy) = true;
  if (any_lossless && any_lossy) return "mixed";
  return any_lossless ? "lossless" : "lossy";
}

// The decoder with its checks: the file's header read and the limits applied before any
// canvas is allocated.
struct OpenDecoder {
  std::unique_ptr<WebPAnimDecoder, DecoderDelete> decoder;
  WebPAnimInfo info{};
  std::vector<bool> lossless;
  std::uint32_t flags = 0;
};

Result<OpenDecoder> open_decoder(const WebPData& data, const AnimationLimits& limits) {
  OpenDecoder open;
  {
    std::unique_ptr<WebPDemuxer, DemuxDelete> demux(WebPDemux(&data));
    if (!demux) return broken("broken or truncated file");
    const auto width = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_WIDTH);
    const auto height = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_HEIGHT);
    const auto frames = WebPDemuxGetI(demux.get(), WEBP_FF_FRAME_COUNT);
    const std::uint64_t canvas = std::uint64_t{width} * height;
    if (canvas == 0 || frames == 0) return broken("no image");
    if (canvas > limits.max_canvas_pixels) {
      return fail(ErrorCode::kInvalidArgument,
                  "WebP canvas is larger than the allowed pixel count");
    }
    if (frames > limits.max_frames) {
      return fail(ErrorCode::kInvalidArgument, "WebP has more frames than allowed");
    }
    if (canvas * frames > limits.max_total_pixels) {
      return fail(ErrorCode::kInvalidArgument, "WebP is larger than the allowed pixel count");
    }
  }
  WebPAnimDecoderOptions options;
  if (WebPAnimDecoderOptionsInit(&options) == 0)
    return fail(ErrorCode::kInternal, "libwebp version");
  options.color_mode = MODE_BGRA;
  options.use_threads = 0;
  open.decoder.reset(WebPAnimDecoderNew(&data, &options));
  if (!open.decoder) return broken("broken or truncated file");
  if (WebPAnimDecoderGetInfo(open.decoder.get(), &open.info) == 0) return broken("no header");
  const WebPDemuxer* demux = WebPAnimDecoderGetDemuxer(open.decoder.get());
  open.lossless = lossless_frames(demux);
  open.flags = WebPDemuxGetI(demux, WEBP_FF_FORMAT_FLAGS);
  return open;
}

// Frame by frame: the canvas (owned by the decoder until the next call) and its end time.
template <typename Each>
Result<AnimationInfo> each_frame(OpenDecoder& open, Each&& each) {
  AnimationInfo info;
  info.width = static_cast<int>(open.info.canvas_width);
  info.height = static_cast<int>(open.info.canvas_height);
  info.loop_count = static_cast<int>(open.info.loop_count);
  info.transparent = (open.flags & ALPHA_FLAG) != 0;
  info.encoding = encoding_of(open.lossless);
  int previous_end = 0;
  while (WebPAnimDecoderHasMoreFrames(open.decoder.get()) != 0) {
    std::uint8_t* pixels = nullptr;
    int end = 0;
    if (WebPAnimDecoderGetNext(open.decoder.get(), &pixels, &end) == 0) {
      return broken("a frame does not decode");
    }
    // A header over the decoder's buffer: the callers copy before editing.
    const cv::Mat canvas(info.height, info.width, CV_8UC4, pixels);
    if (auto ok = each(canvas, info.frames, previous_end, end); !ok) {
      return tl::unexpected(ok.error());
    }
    info.delays_ms.push_back(end - previous_end);
    previous_end = end;
    ++info.frames;
  }
  return info;
}

Status copy_chunks(const WebPDemuxer* source, std::uint32_t flags, WebPMux* mux) {
  constexpr std::array<std::pair<std::uint32_t, const char*>, 3> kKept{
      {{ICCP_FLAG, "ICCP"}, {EXIF_FLAG, "EXIF"}, {XMP_FLAG, "XMP "}}};
  for (const auto& [flag, fourcc] : kKept) {
    if ((flags & flag) == 0) continue;
    WebPChunkIterator chunk;
    if (WebPDemuxGetChunk(source, fourcc, 1, &chunk) != 0) {
      const WebPMuxError set = WebPMuxSetChunk(mux, fourcc, &chunk.chunk, 1);
      WebPDemuxReleaseChunkIterator(&chunk);
      if (set != WEBP_MUX_OK) return fail(ErrorCode::kInternal, "libwebp: cannot copy a chunk");
    }
  }
  return {};
}

}  // namespace

Result<int> webp_frame_count(ByteView file) {
  if (!is_webp(file)) return fail(ErrorCode::kUnsupportedMediaType, "not a WebP");
  const WebPData data{file.data(), file.size()};
  std::unique_ptr<WebPDemuxer, DemuxDelete> demux(WebPDemux(&data));
  if (!demux) return broken("broken or truncated file");
  return static_cast<int>(WebPDemuxGetI(demux.get(), WEBP_FF_FRAME_COUNT));
}

Result<bool> webp_is_lossless(ByteView file) {
  if (!is_webp(file)) return fail(ErrorCode::kUnsupportedMediaType, "not a WebP");
  WebPBitstreamFeatures features;
  if (WebPGetFeatures(file.data(), file.size(), &features) != VP8_STATUS_OK) {
    return broken("broken or truncated file");
  }
  return features.format == 2;  // 1: lossy, 2: lossless (0: mixed, animations only)
}

Result<AnimationInfo> decode_webp_frames(ByteView file, const FrameVisitor& visit,
                                         const AnimationLimits& limits) {
  if (!is_webp(file)) return fail(ErrorCode::kUnsupportedMediaType, "not a WebP");
  const WebPData data{file.data(), file.size()};
  auto open = open_decoder(data, limits);
  if (!open) return tl::unexpected(open.error());
  return each_frame(*open, [&](const cv::Mat& canvas, int index, int, int) -> Status {
    return visit ? visit(canvas, index) : Status{};
  });
}

Result<EditedAnimation> edit_webp(ByteView file, const FrameEdit& edit,
                                  const AnimationLimits& limits) {
  if (!is_webp(file)) return fail(ErrorCode::kUnsupportedMediaType, "not a WebP");
  const WebPData data{file.data(), file.size()};
  auto open = open_decoder(data, limits);
  if (!open) return tl::unexpected(open.error());

  WebPAnimEncoderOptions options;
  if (WebPAnimEncoderOptionsInit(&options) == 0)
    return fail(ErrorCode::kInternal, "libwebp version");
  options.anim_params.loop_count = static_cast<int>(open->info.loop_count);
  options.anim_params.bgcolor = open->info.bgcolor;
  options.allow_mixed = 0;  // each frame's own config says lossless or lossy
  std::unique_ptr<WebPAnimEncoder, EncoderDelete> encoder(
      WebPAnimEncoderNew(static_cast<int>(open->info.canvas_width),
                         static_cast<int>(open->info.canvas_height), &options));
  if (!encoder) return fail(ErrorCode::kInternal, "libwebp: cannot start the encoder");
  WebPConfig lossless;
  WebPConfig lossy;
  if (WebPConfigInit(&lossless) == 0 || WebPConfigInit(&lossy) == 0) {
    return fail(ErrorCode::kInternal, "libwebp version");
  }
  lossless.lossless = 1;
  lossless.exact = 1;  // transparent pixels keep their colour: nothing outside the edit changes
  lossy.quality = kWebpLossyQuality;
  lossy.alpha_quality = 100;

  cv::Mat frame;
  auto info = each_frame(*open, [&](const cv::Mat& canvas, int index, int start, int) -> Status {
    canvas.copyTo(frame);
    auto changed = edit(frame, index);
    if (!changed) return tl::unexpected(changed.error());
    WebPPicture picture;
    if (WebPPictureInit(&picture) == 0) return fail(ErrorCode::kInternal, "libwebp version");
    picture.use_argb = 1;
    picture.width = frame.cols;
    picture.height = frame.rows;
    const bool keep_lossless = static_cast<std::size_t>(index) < open->lossless.size() &&
                               open->lossless[static_cast<std::size_t>(index)];
    const bool imported =
        WebPPictureImportBGRA(&picture, frame.data, static_cast<int>(frame.step)) != 0;
    const bool added = imported && WebPAnimEncoderAdd(encoder.get(), &picture, start,
                                                      keep_lossless ? &lossless : &lossy) != 0;
    WebPPictureFree(&picture);
    if (!added) {
      return fail(ErrorCode::kInternal,
                  std::string("libwebp: ") + WebPAnimEncoderGetError(encoder.get()));
    }
    return {};
  });
  if (!info) return tl::unexpected(info.error());
  int end = 0;
  for (const int d : info->delays_ms) end += d;
  OwnedData assembled;
  if (WebPAnimEncoderAdd(encoder.get(), nullptr, end, nullptr) == 0 ||
      WebPAnimEncoderAssemble(encoder.get(), &assembled.data) == 0) {
    return fail(ErrorCode::kInternal,
                std::string("libwebp: ") + WebPAnimEncoderGetError(encoder.get()));
  }
  const WebPDemuxer* source = WebPAnimDecoderGetDemuxer(open->decoder.get());
  std::unique_ptr<WebPMux, MuxDelete> mux(WebPMuxCreate(&assembled.data, 1));
  if (!mux) return fail(ErrorCode::kInternal, "libwebp: cannot reopen the encoded file");
  if (auto ok = copy_chunks(source, open->flags, mux.get()); !ok) return tl::unexpected(ok.error());
  OwnedData out;
  if (WebPMuxAssemble(mux.get(), &out.data) != WEBP_MUX_OK) {
    return fail(ErrorCode::kInternal, "libwebp: cannot assemble the file");
  }
  return EditedAnimation{Bytes(out.data.bytes, out.data.bytes + out.data.size), std::move(*info)};
}

}  // namespace synthgate::media
