#include "watermark/video_watermark.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace synthgate::watermark {

namespace {

// Each frame's mark is held to 41.5 dB rather than the image's 40.5: the encoder adds its own
// loss on top (x264 CRF 23 at 1080p: about 46 dB without the mark), and the marked clip must
// still be at least 40 dB against its source.
constexpr double kVideoFramePsnr = 41.5;

}  // namespace

VideoFrameMarker::VideoFrameMarker(std::uint64_t payload, const SecretBytes& key)
    : payload_(payload), key_(key) {}

Status VideoFrameMarker::mark(cv::Mat& pixels) {
  // Too small is a property of the whole video: stop at the first frame.
  if (std::min(pixels.cols, pixels.rows) < kMinEmbedSide) {
    return fail(ErrorCode::kInvalidArgument,
                "video too small to carry the watermark: " + std::to_string(pixels.cols) + "x" +
                    std::to_string(pixels.rows) + ", each side needs at least " +
                    std::to_string(kMinEmbedSide) + " pixels");
  }
  auto marked = embed_image_watermark(pixels, payload_, key_, {kVideoFramePsnr});
  if (!marked) {
    // A black or faded frame cannot hide the mark; it stays as it was and the others carry it.
    if (marked.error().code != ErrorCode::kInvalidArgument) return tl::unexpected(marked.error());
    ++flat_frames_;
    return {};
  }
  marked->copyTo(pixels);
  ++marked_frames_;
  return {};
}

Status VideoFrameMarker::finish() const {
  if (marked_frames_ == 0) {
    return fail(ErrorCode::kInvalidArgument,
                "video too flat to carry the watermark: no frame has texture to hide it");
  }
  return {};
}

Result<VideoMarking> embed_video_watermark(const std::filesystem::path& in,
                                           const std::filesystem::path& out, std::uint64_t payload,
                                           const SecretBytes& key,
                                           const media::VideoEncodeSettings& settings,
                                           const media::ProgressCallback& progress) {
  if (key.empty()) return fail(ErrorCode::kInvalidArgument, "watermark key is empty");
  VideoFrameMarker marker(payload, key);
  const auto mark = [&](cv::Mat& pixels) { return marker.mark(pixels); };
  media::FrameEditor editor;
  editor.wants = [](double, const media::VideoInfo&) { return true; };
  editor.edit_luma = mark;  // yuv420p and the like: marked where the mark lives, chroma untouched
  editor.edit = mark;       // other pixel formats: the same luma change on B, G and R
  auto info = media::edit_video_file(in, out, settings, editor, progress);
  if (!info) return tl::unexpected(info.error());
  if (auto ok = marker.finish(); !ok) return tl::unexpected(ok.error());
  return VideoMarking{*info, marker.marked_frames(), marker.flat_frames()};
}

Result<VideoWatermarkReading> read_video_watermark(const std::filesystem::path& path,
                                                   const SecretBytes& key, int max_frames,
                                                   const media::ProgressCallback& progress) {
  if (key.empty()) return fail(ErrorCode::kInvalidArgument, "watermark key is empty");
  if (max_frames < 1) return fail(ErrorCode::kInvalidArgument, "at least one frame must be read");
  WatermarkEvidence evidence;
  std::int64_t stride = 0;  // set from the first frame's description
  media::FrameReader reader;
  reader.wants = [&](double, const media::VideoInfo& info) {
    if (stride == 0) {
      // Every stride-th frame, so that about max_frames spread over the whole clip; every
      // frame when the length is unknown.
      const double expected = info.duration_seconds * info.frame_rate;
      stride =
          std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(expected / max_frames)));
    }
    return info.frames % stride == 0;
  };
  reader.look = [&](const cv::Mat& luma) { return evidence.add(luma); };
  auto info = media::read_video_frames(path, reader, progress);
  if (!info) return tl::unexpected(info.error());
  auto reading = evidence.read(key);
  if (!reading) return tl::unexpected(reading.error());
  return VideoWatermarkReading{*reading, info->frames, evidence.pictures()};
}

}  // namespace synthgate::watermark
