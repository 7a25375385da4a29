#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::labels {

inline constexpr std::string_view kDefaultVoiceWording = "人工智能生成";

// A spoken label: mono samples in [-1, 1] at `sample_rate`.
struct VoiceClip {
  std::vector<float> samples;
  int sample_rate = 0;
  double chars_per_minute = 0;  // speaking rate measured on the voiced part
};

// Speaks `text` with espeak-ng's Mandarin voice (cmn) at normal speed: GB 45438 §5.3 asks
// for 120-160 Chinese characters a minute; the rate is measured and adjusted to ~140.
// espeak-ng keeps global state, so calls are serialised inside.
Result<VoiceClip> speak_mandarin(std::string_view text = kDefaultVoiceWording);

}  // namespace synthgate::labels
