#include "moderation/video_moderation.hpp"

#include <opencv2/core/mat.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "media/video_file.hpp"

namespace synthgate::moderation {

FrameSchedule::FrameSchedule(const VideoSampling& sampling, double duration_seconds)
    : interval_(std::max(sampling.interval_seconds, 1e-3)),
      max_(std::max<std::size_t>(sampling.max_samples, 2)) {
  // A long video is sampled more sparsely rather than cut off after max_samples seconds.
  if (duration_seconds > 0) {
    interval_ = std::max(interval_, duration_seconds / static_cast<double>(max_ - 1));
  }
}

bool FrameSchedule::take(double seconds) {
  if (taken_ >= max_) return false;
  if (next_ && seconds < *next_) return false;
  // On the grid from the first frame; after a gap in the stream, from this frame on.
  next_ = next_ ? *next_ + interval_ : seconds + interval_;
  if (*next_ <= seconds) next_ = seconds + interval_;
  ++taken_;
  return true;
}

namespace {

// One sampled frame's verdict, appended to `check` when a blocklist entry is near.
void look_up(const cv::Mat& luma, double seconds, const HashBlocklist& blocklist,
             const VideoSampling& sampling, VideoCheck& check) {
  ++check.frames_sampled;
  // Grey as RGB: PDQ's Rec.601 weights sum to one, so the luma it computes is the frame's own,
  // and the dihedral hashes come with it.
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(luma.rows) *
                                static_cast<std::size_t>(luma.cols) * 3);
  std::size_t k = 0;
  for (int y = 0; y < luma.rows; ++y) {
    const auto* row = luma.ptr<std::uint8_t>(y);
    for (int x = 0; x < luma.cols; ++x, k += 3) rgb[k] = rgb[k + 1] = rgb[k + 2] = row[x];
  }
  const auto all = pdq_dihedral_from_rgb(rgb.data(), luma.cols, luma.rows);
  if (all.quality < sampling.min_quality) {
    ++check.frames_low_quality;
    return;
  }
  std::optional<ImageMatch> best;
  for (std::size_t d = 0; d < all.hashes.size(); ++d) {
    for (const auto& m : blocklist.search(all.hashes[d])) {
      if (!best || m.distance < best->distance) {
        best = ImageMatch{m.index, m.distance, static_cast<Dihedral>(d)};
      }
    }
  }
  if (best) check.matches.push_back({seconds, {all.hashes[0], all.quality}, *best});
}

}  // namespace

Result<VideoCheck> check_video(const std::filesystem::path& path, const HashBlocklist& blocklist,
                               const VideoSampling& sampling) {
  VideoCheck check;
  std::optional<FrameSchedule> schedule;
  bool sampled = false;  // whether the frame being shown is a scheduled sample
  double seconds_now = 0;
  // The most recent frame not sampled: the last frame, once the stream ends.
  cv::Mat held;
  double held_seconds = 0;
  bool holding = false;
  Status failed;
  media::FrameReader reader;
  reader.wants = [&](double seconds, const media::VideoInfo& info) {
    if (!schedule) schedule.emplace(sampling, info.duration_seconds);
    seconds_now = seconds;
    sampled = schedule->take(seconds);
    return true;
  };
  reader.look = [&](const cv::Mat& luma) -> Status {
    if (sampled) {
      look_up(luma, seconds_now, blocklist, sampling, check);
      holding = false;
    } else {
      luma.copyTo(held);
      held_seconds = seconds_now;
      holding = true;
    }
    return {};
  };
  auto info = media::read_video_frames(path, reader);
  if (!info) return tl::unexpected(info.error());
  if (holding) look_up(held, held_seconds, blocklist, sampling, check);
  check.frames_decoded = static_cast<std::size_t>(info->frames);
  check.duration_seconds = info->duration_seconds;
  if (!check.matches.empty()) check.decision = "block";
  return check;
}

}  // namespace synthgate::moderation
