#include "labels/audio_label.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "labels/streamed_audio_label.hpp"

namespace synthgate::labels {

namespace {

double db_to_linear(double db) {
  return std::pow(10.0, db / 20.0);
}

std::size_t to_samples(double seconds, int rate) {
  return static_cast<std::size_t>(std::llround(seconds * rate));
}

}  // namespace

std::vector<float> rhythm_cue_samples(const RhythmCue& cue, int sample_rate, double level_rms) {
  // Marks in units: dot 1, dash 3; gaps: 1 inside a letter, 3 between letters.
  struct Mark {
    int length;
    int gap_after;
  };
  static constexpr Mark kMarks[] = {{1, 1}, {3, 3}, {1, 1}, {1, 0}};
  const std::size_t unit = to_samples(cue.unit_seconds, sample_rate);
  const std::size_t fade = std::max<std::size_t>(1, to_samples(0.005, sample_rate));
  const double amplitude = level_rms * std::numbers::sqrt2;  // RMS of a sine is A/√2
  std::vector<float> out;
  for (const Mark& mark : kMarks) {
    const std::size_t n = unit * static_cast<std::size_t>(mark.length);
    for (std::size_t i = 0; i < n; ++i) {
      const double envelope = std::min({1.0, static_cast<double>(i) / static_cast<double>(fade),
                                        static_cast<double>(n - i) / static_cast<double>(fade)});
      const double phase = 2.0 * std::numbers::pi * cue.tone_hz * static_cast<double>(i) /
                           static_cast<double>(sample_rate);
      out.push_back(static_cast<float>(amplitude * envelope * std::sin(phase)));
    }
    out.insert(out.end(), unit * static_cast<std::size_t>(mark.gap_after), 0.0f);
  }
  return out;
}

double cue_level_rms(const Channels& programme, int sample_rate) {
  if (programme.empty() || sample_rate <= 0) return db_to_linear(-24.0);
  GatedLoudness loudness(sample_rate);
  loudness.add(programme);
  return loudness.cue_level_rms();
}

Result<LabelledAudio> label_audio(const Channels& programme, int sample_rate,
                                  const std::vector<float>& cue, const AudioLabelOptions& options) {
  if (programme.empty() || sample_rate <= 0) {
    return fail(ErrorCode::kInvalidArgument, "audio without channels");
  }
  if (cue.empty()) return fail(ErrorCode::kInvalidArgument, "empty audio cue");
  if (options.spots.empty()) return fail(ErrorCode::kInvalidArgument, "no place for the cue");
  const std::size_t frames = programme.front().size();
  for (const auto& c : programme) {
    if (c.size() != frames) return fail(ErrorCode::kInvalidArgument, "ragged channels");
  }
  // Where each cue goes in the programme's own time line, in order, without repeats.
  // A mixed cue lies over the programme: the end cue finishes with it.
  std::vector<std::size_t> at = mixed_cue_starts(options.spots, frames, cue.size());
  if (options.mode == AudioMode::kInsert) {
    at.clear();
    for (const AudioSpot spot : options.spots) {
      at.push_back(spot == AudioSpot::kStart    ? 0
                   : spot == AudioSpot::kMiddle ? frames / 2
                                                : frames);
    }
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
  }

  LabelledAudio out;
  out.channels.resize(programme.size());
  if (options.mode == AudioMode::kInsert) {
    const std::size_t gap = to_samples(options.gap_seconds, sample_rate);
    std::size_t from = 0;
    for (const std::size_t pos : at) {
      for (std::size_t c = 0; c < programme.size(); ++c) {
        auto& ch = out.channels[c];
        ch.insert(ch.end(), programme[c].begin() + static_cast<std::ptrdiff_t>(from),
                  programme[c].begin() + static_cast<std::ptrdiff_t>(pos));
        if (pos > 0) ch.insert(ch.end(), gap, 0.0f);
        if (c == 0) out.cue_starts.push_back(ch.size());
        ch.insert(ch.end(), cue.begin(), cue.end());
        if (pos < frames) ch.insert(ch.end(), gap, 0.0f);
      }
      from = pos;
    }
    for (std::size_t c = 0; c < programme.size(); ++c) {
      out.channels[c].insert(out.channels[c].end(),
                             programme[c].begin() + static_cast<std::ptrdiff_t>(from),
                             programme[c].end());
    }
  } else {
    out.channels = programme;
    const std::size_t length = std::max(frames, at.back() + cue.size());
    for (auto& ch : out.channels) ch.resize(length, 0.0f);
    const float duck = static_cast<float>(db_to_linear(-6.0));
    for (const std::size_t pos : at) {
      out.cue_starts.push_back(pos);
      for (auto& ch : out.channels) {
        for (std::size_t i = 0; i < cue.size(); ++i) {
          ch[pos + i] = std::clamp(ch[pos + i] * duck + cue[i], -1.0f, 1.0f);
        }
      }
    }
  }
  return out;
}

std::vector<float> fit_voice_clip(const std::vector<float>& clip, int from_rate, int to_rate,
                                  double level_rms) {
  if (clip.empty() || from_rate <= 0 || to_rate <= 0) return {};
  double energy = 0;
  for (const float s : clip) energy += double{s} * s;
  const double rms = std::sqrt(energy / static_cast<double>(clip.size()));
  const double gain = rms > 0 ? level_rms / rms : 0.0;
  const double step = static_cast<double>(from_rate) / to_rate;
  const auto n = static_cast<std::size_t>(static_cast<double>(clip.size()) / step);
  std::vector<float> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(i) * step;
    const auto k = static_cast<std::size_t>(x);
    const double f = x - static_cast<double>(k);
    const double a = clip[k];
    const double b = k + 1 < clip.size() ? clip[k + 1] : clip[k];
    out[i] = static_cast<float>(std::clamp((a + (b - a) * f) * gain, -1.0, 1.0));
  }
  return out;
}

std::vector<ToneBurst> find_tone_bursts(const std::vector<float>& mono, int sample_rate,
                                        double tone_hz) {
  const std::size_t hop = std::max<std::size_t>(1, to_samples(0.01, sample_rate));
  const double coeff = 2.0 * std::cos(2.0 * std::numbers::pi * tone_hz / sample_rate);
  std::vector<double> power;
  std::vector<double> total;
  for (std::size_t start = 0; start + hop <= mono.size(); start += hop) {
    double s1 = 0;
    double s2 = 0;
    double energy = 0;
    for (std::size_t i = start; i < start + hop; ++i) {
      const double s0 = mono[i] + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
      energy += double{mono[i]} * mono[i];
    }
    const double p = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    power.push_back(p / static_cast<double>(hop * hop));
    total.push_back(energy / static_cast<double>(hop));
  }
  // A hop holds the tone when the tone carries a good part of its energy (a sine of amplitude
  // A gives A²/4 here and A²/2 of energy per sample) and the hop is not silence.
  std::vector<ToneBurst> bursts;
  std::size_t run_start = 0;
  bool in_run = false;
  for (std::size_t i = 0; i <= power.size(); ++i) {
    // Tone power of a sine of amplitude A over a hop is A²/4; its energy per sample A²/2.
    const bool on = i < power.size() && power[i] * 2.0 > 0.4 * total[i] && total[i] > 1e-7;
    if (on && !in_run) {
      run_start = i;
      in_run = true;
    } else if (!on && in_run) {
      in_run = false;
      bursts.push_back({static_cast<double>(run_start * hop) / sample_rate,
                        static_cast<double>((i - run_start) * hop) / sample_rate});
    }
  }
  return bursts;
}

std::vector<double> find_rhythm_cues(const std::vector<float>& mono, int sample_rate,
                                     const RhythmCue& cue) {
  const auto bursts = find_tone_bursts(mono, sample_rate, cue.tone_hz);
  const auto near = [&](double seconds, double units) {
    const double want = units * cue.unit_seconds;
    return std::abs(seconds - want) <= 0.4 * want;
  };
  std::vector<double> found;
  for (std::size_t i = 0; i + 3 < bursts.size(); ++i) {
    const ToneBurst* b = &bursts[i];
    const bool marks = near(b[0].duration_seconds, 1) && near(b[1].duration_seconds, 3) &&
                       near(b[2].duration_seconds, 1) && near(b[3].duration_seconds, 1);
    const auto gap = [&](std::size_t k) {
      return b[k + 1].start_seconds - (b[k].start_seconds + b[k].duration_seconds);
    };
    const bool gaps = near(gap(0), 1) && near(gap(1), 3) && near(gap(2), 1);
    if (marks && gaps) found.push_back(b[0].start_seconds);
  }
  return found;
}

}  // namespace synthgate::labels
