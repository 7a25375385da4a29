#pragma once
// The audio label over a programme seen block by block (a video's sound track, streamed): the
// loudness rule measured on the way, and the cue mixed in where each block passes.
#include <cstdint>
#include <vector>

#include "labels/audio_label.hpp"

namespace synthgate::labels {

// `cue_level_rms` over a programme handed in any number of blocks: the same 50 ms blocks
// (counted from the programme's first sample), gate and bounds.
class GatedLoudness {
 public:
  explicit GatedLoudness(int sample_rate);
  void add(const Channels& block);
  // The cue's level for everything added so far (a last partial 50 ms block counts).
  double cue_level_rms() const;

 private:
  std::size_t block_ = 1;
  double block_energy_ = 0;     // sum of squares in the current 50 ms block
  std::size_t block_fill_ = 0;  // samples (per channel) in it so far
  std::size_t channels_ = 0;
  double sum_ = 0;  // mean energies of the blocks above the gate
  std::size_t counted_ = 0;
};

// Where mixed cues start in a programme of `frames` samples: start at 0, middle centred, end
// finishing with the programme; sorted, without repeats.
std::vector<std::size_t> mixed_cue_starts(const std::vector<AudioSpot>& spots, std::size_t frames,
                                          std::size_t cue_size);

// `label_audio`'s mix (the programme lowered by 6 dB under the cue, then limited to [-1, 1])
// applied block by block. The programme keeps its length: a cue longer than it is cut.
class MixedCue {
 public:
  MixedCue(std::vector<float> cue, const std::vector<AudioSpot>& spots, std::size_t frames);
  const std::vector<std::size_t>& starts() const { return starts_; }
  const std::vector<float>& cue() const { return cue_; }
  // Mixes the cue into `block`, whose first sample is sample `first` of the programme.
  void apply(std::int64_t first, Channels& block) const;

 private:
  std::vector<float> cue_;
  std::vector<std::size_t> starts_;
};

}  // namespace synthgate::labels
