#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "moderation/hash_blocklist.hpp"
#include "moderation/image_moderation.hpp"
#include "moderation/pdq_hash.hpp"

namespace synthgate::moderation {

// Which frames of a video are hashed: the first, one every `interval_seconds` (widened so
// that no more than `max_samples` are taken over the stated duration) and the last.
struct VideoSampling {
  double interval_seconds = 1.0;
  std::size_t max_samples = 600;
  // Frames below PDQ's trust threshold (flat, near-uniform pictures) are not looked up.
  int min_quality = 50;
};

// A sampled frame near a blocklist entry: the frame's time, its hash and the nearest entry.
struct VideoFrameMatch {
  double seconds = 0;
  PdqResult pdq;
  ImageMatch match;
};

struct VideoCheck {
  std::size_t frames_decoded = 0;
  std::size_t frames_sampled = 0;
  std::size_t frames_low_quality = 0;  // sampled but too flat to look up
  double duration_seconds = 0;
  std::vector<VideoFrameMatch> matches;  // in frame order, one per matching frame
  // block: some sampled frame of quality >= min_quality is within distance 31 of an entry.
  std::string_view decision = "pass";
};

// Samples the frames as `sampling` says, hashes each (with its rotations and mirror images,
// as check_image does) and looks the trusted ones up in the blocklist.
Result<VideoCheck> check_video(const std::filesystem::path& path, const HashBlocklist& blocklist,
                               const VideoSampling& sampling = {});

// The frame picker on its own, for a stream of frame times: whether the frame at `seconds`
// is sampled. The last frame is taken separately (check_video keeps it aside).
class FrameSchedule {
 public:
  FrameSchedule(const VideoSampling& sampling, double duration_seconds);
  bool take(double seconds);
  std::size_t taken() const { return taken_; }

 private:
  double interval_;
  std::size_t max_;
  std::optional<double> next_;
  std::size_t taken_ = 0;
};

}  // namespace synthgate::moderation
