#include "labels/voice_prompt.hpp"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace synthgate::labels {

namespace {

// espeak-ng's one engine per process: initialised once, used under this lock.
std::mutex& engine_lock() {
  static std::mutex lock;
  return lock;
}

int collect(short* wav, int count, espeak_EVENT* events) {
  if (wav == nullptr || events == nullptr || events->user_data == nullptr) return 0;
  auto* out = static_cast<std::vector<float>*>(events->user_data);
  for (int i = 0; i < count; ++i) out->push_back(static_cast<float>(wav[i]) / 32768.0f);
  return 0;
}

std::size_t count_chars(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Seconds between the first and the last sample above -40 dBFS.
double voiced_seconds(const std::vector<float>& s, int rate) {
  const float threshold = 0.01f;
  const auto first =
      std::find_if(s.begin(), s.end(), [&](float v) { return std::abs(v) > threshold; });
  const auto last =
      std::find_if(s.rbegin(), s.rend(), [&](float v) { return std::abs(v) > threshold; });
  if (first == s.end()) return 0;
  const auto span = std::distance(first, last.base());
  return static_cast<double>(span) / rate;
}

}  // namespace

Result<VoiceClip> speak_mandarin(std::string_view text) {
  const std::lock_guard<std::mutex> guard(engine_lock());
  const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
  if (rate <= 0) return fail(ErrorCode::kUnavailable, "espeak-ng is not available");
  espeak_SetSynthCallback(&collect);
  if (espeak_SetVoiceByName("cmn") != EE_OK) {
    return fail(ErrorCode::kUnavailable, "espeak-ng has no Mandarin (cmn) voice");
  }
  const std::string input(text);
  const std::size_t chars = count_chars(text);
  VoiceClip clip;
  clip.sample_rate = rate;
  int words_per_minute = 175;
  for (int attempt = 0; attempt < 3; ++attempt) {
    espeak_SetParameter(espeakRATE, words_per_minute, 0);
    clip.samples.clear();
    if (espeak_Synth(input.c_str(), input.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                     nullptr, &clip.samples) != EE_OK) {
      return fail(ErrorCode::kInternal, "espeak-ng could not speak the label");
    }
    espeak_Synchronize();
    const double seconds = voiced_seconds(clip.samples, rate);
    if (seconds <= 0) return fail(ErrorCode::kInternal, "espeak-ng produced silence");
    clip.chars_per_minute = static_cast<double>(chars) * 60.0 / seconds;
    if (clip.chars_per_minute >= 125 && clip.chars_per_minute <= 155) break;
    words_per_minute = std::clamp(
        static_cast<int>(std::lround(words_per_minute * 140.0 / clip.chars_per_minute)), 80, 450);
  }
  return clip;
}

}  // namespace synthgate::labels
