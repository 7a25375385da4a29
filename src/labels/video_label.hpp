#pragma once

#include <string_view>

#include "core/result.hpp"

namespace synthgate::labels {

// GB 45438 §5.4: the label from the opening frames for at least 2 s; end and middle optional.
enum class VideoSpan { kStart, kMiddle, kEnd, kWhole };
Result<VideoSpan> parse_video_span(std::string_view name);

struct VideoLabelTiming {
  VideoSpan span = VideoSpan::kStart;
  double seconds = 2.0;  // how long the label shows (at least 2 s at the start)
};

Status check_timing(const VideoLabelTiming& timing);

// Whether the frame at `t` seconds of a video lasting `duration` seconds (0: unknown) shows the
// label. A video shorter than the span shows it throughout.
bool video_label_shown(const VideoLabelTiming& timing, double t, double duration);

}  // namespace synthgate::labels
