#include "labels/video_label.hpp"

namespace synthgate::labels {

Result<VideoSpan> parse_video_span(std::string_view name) {
  if (name == "start") return VideoSpan::kStart;
  if (name == "middle") return VideoSpan::kMiddle;
  if (name == "end") return VideoSpan::kEnd;
  if (name == "whole") return VideoSpan::kWhole;
  return fail(ErrorCode::kUsage, "for video, --position is start, middle, end or whole");
}

Status check_timing(const VideoLabelTiming& timing) {
  if (timing.span != VideoSpan::kWhole && !(timing.seconds >= 2.0)) {
    return fail(ErrorCode::kInvalidArgument,
                "a video label shows for at least 2 seconds (GB 45438 §5.4)");
  }
  return {};
}

bool video_label_shown(const VideoLabelTiming& timing, double t, double duration) {
  switch (timing.span) {
    case VideoSpan::kWhole:
      return true;
    case VideoSpan::kStart:
      return t < timing.seconds;
    case VideoSpan::kEnd:
      return duration <= 0 || t >= duration - timing.seconds;
    case VideoSpan::kMiddle: {
      if (duration <= 0) return t < timing.seconds;
      const double from = (duration - timing.seconds) / 2;
      return t >= from && t < from + timing.seconds;
    }
  }
  return true;
}

}  // namespace synthgate::labels
