#pragma once

#include <optional>
#include <vector>

#include "core/result.hpp"

namespace synthgate::labels {

// Audio explicit labels (GB 45438 §5.3): a voice prompt or the rhythm cue "short long short
// short" (Morse for "AI"), at the start, the end and/or the middle.
using Channels = std::vector<std::vector<float>>;  // one vector per channel, [-1, 1]

// The cue's timing: a dot is one unit, a dash three, one unit between the marks of a letter
// and three between the letters: ".-" then "..".
struct RhythmCue {
  double tone_hz = 1000.0;
  double unit_seconds = 0.12;
};

// A mono cue at `level_rms` (linear RMS of the tones, 0..1).
std::vector<float> rhythm_cue_samples(const RhythmCue& cue, int sample_rate, double level_rms);

enum class AudioSpot { kStart, kMiddle, kEnd };
enum class AudioMode { kInsert, kMix };

struct AudioLabelOptions {
  std::vector<AudioSpot> spots{AudioSpot::kStart};
  AudioMode mode = AudioMode::kInsert;
  double gap_seconds = 0.25;  // silence between an inserted cue and the programme
};

// The loudness rule: the cue is set to the programme's gated RMS (the RMS of its 50 ms blocks
// above -50 dBFS, a simplified EBU R128 gate), held between -30 and -12 dBFS, so that it is
// neither lost in a loud programme nor startling in a quiet one. Silence gets -24 dBFS.
double cue_level_rms(const Channels& programme, int sample_rate);

struct LabelledAudio {
  Channels channels;
  std::vector<std::size_t> cue_starts;  // sample index of each cue in the output
};

// Places `cue` (mono, at the programme's rate, already at its level) at each spot: inserted
// (the programme moves on, with a short gap) or mixed over it (the programme ducked by
// 6 dB under the cue, then limited to [-1, 1]).
Result<LabelledAudio> label_audio(const Channels& programme, int sample_rate,
                                  const std::vector<float>& cue, const AudioLabelOptions& options);

// Scales a voice clip (mono) to `level_rms` and resamples it linearly to `to_rate`.
std::vector<float> fit_voice_clip(const std::vector<float>& clip, int from_rate, int to_rate,
                                  double level_rms);

// A tone burst found by the detector.
struct ToneBurst {
  double start_seconds = 0;
  double duration_seconds = 0;
};

// Bursts of `tone_hz` in a mono signal (Goertzel power over 10 ms hops: hops where the tone
// carries over 40% of the energy).
std::vector<ToneBurst> find_tone_bursts(const std::vector<float>& mono, int sample_rate,
                                        double tone_hz);

// The start time of each "short long short short" pattern, timed as `cue` within ±40%.
std::vector<double> find_rhythm_cues(const std::vector<float>& mono, int sample_rate,
                                     const RhythmCue& cue);

}  // namespace synthgate::labels
