#pragma once

#include <cstdint>
#include <filesystem>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "media/audio_file.hpp"
#include "media/video_file.hpp"
#include "watermark/image_watermark.hpp"

namespace synthgate::watermark {

struct VideoMarking {
  media::VideoInfo info;           // frames written, container and codec kept
  std::int64_t marked_frames = 0;  // frames carrying the mark
  std::int64_t flat_frames = 0;    // frames too flat to hide it (black, fades), left as they were
};

// Marks video frames one by one, counting what it did: the per-frame step of
// embed_video_watermark, for callers that edit frames for other reasons too (labelling draws
// the visible label and marks in one re-encode). `mark` takes 8-bit luma, grey, BGR or BGRA.
class VideoFrameMarker {
 public:
  VideoFrameMarker(std::uint64_t payload, const SecretBytes& key);
  // Refuses frames smaller than kMinEmbedSide (a property of the whole video); a frame too
  // flat to hide the mark is left as it was and counted in flat_frames.
  Status mark(cv::Mat& pixels);
  // After the last frame: refuses a video where no frame could carry the mark.
  Status finish() const;
  std::int64_t marked_frames() const { return marked_frames_; }
  std::int64_t flat_frames() const { return flat_frames_; }

 private:
  std::uint64_t payload_;
  const SecretBytes& key_;
  std::int64_t marked_frames_ = 0;
  std::int64_t flat_frames_ = 0;
};

// Writes `out`: `in` with every frame carrying the image watermark of `payload` on its luma,
// re-encoded with the same codec into the same container (`settings`: CRF, preset), audio and
// other streams copied packet for packet. Refuses a video whose frames are smaller than
// kMinEmbedSide, and one where no frame can carry the mark (kInvalidArgument). On a refusal
// `out` may hold a partial file: write to a temporary path and rename on success.
Result<VideoMarking> embed_video_watermark(const std::filesystem::path& in,
                                           const std::filesystem::path& out, std::uint64_t payload,
                                           const SecretBytes& key,
                                           const media::VideoEncodeSettings& settings = {},
                                           const media::ProgressCallback& progress = {});

// How many frames a read looks at, spread evenly over the clip (every frame of a short one).
inline constexpr int kDefaultFramesRead = 100;

struct VideoWatermarkReading {
  WatermarkReading reading;
  std::int64_t frames = 0;       // decoded
  std::int64_t frames_read = 0;  // whose evidence was summed
};

// Reads the mark blindly from a video file: the soft evidence of up to `max_frames` frames is
// summed (WatermarkEvidence) and decoded once, so a short segment of a re-encoded, scaled or
// trimmed copy still reads. Found only when the keyed check passes, as for images.
Result<VideoWatermarkReading> read_video_watermark(const std::filesystem::path& path,
                                                   const SecretBytes& key,
                                                   int max_frames = kDefaultFramesRead,
                                                   const media::ProgressCallback& progress = {});

}  // namespace synthgate::watermark
