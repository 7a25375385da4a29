#include "labels/streamed_audio_label.hpp"

#include <algorithm>
#include <cmath>

namespace synthgate::labels {

namespace {

double db_to_linear(double db) {
  return std::pow(10.0, db / 20.0);
}

}  // namespace

GatedLoudness::GatedLoudness(int sample_rate)
    : block_(std::max<std::size_t>(
          1, static_cast<std::size_t>(std::llround(0.05 * std::max(sample_rate, 0))))) {}

void GatedLoudness::add(const Channels& block) {
  if (block.empty()) return;
  channels_ = block.size();
  const std::size_t frames = block.front().size();
  const double gate = db_to_linear(-50.0);
  std::size_t pos = 0;
  while (pos < frames) {
    const std::size_t take = std::min(block_ - block_fill_, frames - pos);
    for (const auto& channel : block) {
      for (std::size_t i = pos; i < pos + take; ++i)
        block_energy_ += double{channel[i]} * channel[i];
    }
    block_fill_ += take;
    pos += take;
    if (block_fill_ == block_) {
      const double energy = block_energy_ / static_cast<double>(block_ * channels_);
      if (std::sqrt(energy) >= gate) {
        sum_ += energy;
        ++counted_;
      }
      block_energy_ = 0;
      block_fill_ = 0;
    }
  }
}

double GatedLoudness::cue_level_rms() const {
  double sum = sum_;
  std::size_t counted = counted_;
  if (block_fill_ > 0) {
    const double energy = block_energy_ / static_cast<double>(block_fill_ * channels_);
    if (std::sqrt(energy) >= db_to_linear(-50.0)) {
      sum += energy;
      ++counted;
    }
  }
  if (counted == 0) return db_to_linear(-24.0);
  const double rms = std::sqrt(sum / static_cast<double>(counted));
  return std::clamp(rms, db_to_linear(-30.0), db_to_linear(-12.0));
}

std::vector<std::size_t> mixed_cue_starts(const std::vector<AudioSpot>& spots, std::size_t frames,
                                          std::size_t cue_size) {
  std::vector<std::size_t> at;
  for (const AudioSpot spot : spots) {
    std::size_t pos = 0;
    if (spot == AudioSpot::kMiddle) pos = frames > cue_size ? (frames - cue_size) / 2 : 0;
    if (spot == AudioSpot::kEnd) pos = frames > cue_size ? frames - cue_size : 0;
    at.push_back(pos);
  }
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  return at;
}

MixedCue::MixedCue(std::vector<float> cue, const std::vector<AudioSpot>& spots, std::size_t frames)
    : cue_(std::move(cue)), starts_(mixed_cue_starts(spots, frames, cue_.size())) {}

void MixedCue::apply(std::int64_t first, Channels& block) const {
  if (block.empty() || first < 0) return;
  const auto from = static_cast<std::size_t>(first);
  const std::size_t to = from + block.front().size();
  const float duck = static_cast<float>(db_to_linear(-6.0));
  // Cue by cue in order, as `label_audio` mixes them, so overlapping cues give the same sum.
  for (const std::size_t start : starts_) {
    const std::size_t begin = std::max(start, from);
    const std::size_t end = std::min(start + cue_.size(), to);
    for (auto& ch : block) {
      for (std::size_t i = begin; i < end; ++i) {
        float& s = ch[i - from];
        s = std::clamp(s * duck + cue_[i - start], -1.0f, 1.0f);
      }
    }
  }
}

}  // namespace synthgate::labels
