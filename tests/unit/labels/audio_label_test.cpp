#include "labels/audio_label.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "labels/streamed_audio_label.hpp"
#include "labels/voice_prompt.hpp"

namespace synthgate::labels {
namespace {

constexpr int kRate = 16000;

std::vector<float> sine(double hz, double seconds, double amplitude, int rate = kRate) {
  std::vector<float> out(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<float>(
        amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
  }
  return out;
}

double rms(const std::vector<float>& s, std::size_t from, std::size_t to) {
  double e = 0;
  for (std::size_t i = from; i < to; ++i) e += double{s[i]} * s[i];
  return std::sqrt(e / static_cast<double>(to - from));
}

TEST(RhythmCue, IsShortLongShortShort) {
  const RhythmCue cue;
  const auto samples = rhythm_cue_samples(cue, kRate, 0.1);
  const auto bursts = find_tone_bursts(samples, kRate, cue.tone_hz);
  ASSERT_EQ(bursts.size(), 4u);
  const double unit = cue.unit_seconds;
  const double want[] = {1, 3, 1, 1};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(bursts[i].duration_seconds, want[i] * unit, 0.25 * unit) << i;
  }
  // One unit inside a letter, three between the letters A (.-) and I (..).
  EXPECT_NEAR(bursts[2].start_seconds - (bursts[1].start_seconds + bursts[1].duration_seconds),
              3 * unit, 0.25 * unit);
  EXPECT_EQ(find_rhythm_cues(samples, kRate, cue).size(), 1u);
  // Its RMS over the marks is the level asked for.
  EXPECT_NEAR(rms(samples, 0, static_cast<std::size_t>(unit * kRate)), 0.1, 0.01);
}

TEST(RhythmCue, OtherPatternsAreNotFound) {
  RhythmCue cue;
  const auto samples = rhythm_cue_samples(cue, kRate, 0.1);
  // The same tones twice as slow do not match the timing.
  RhythmCue fast = cue;
  fast.unit_seconds = cue.unit_seconds / 2;
  EXPECT_TRUE(find_rhythm_cues(samples, kRate, fast).empty());
  EXPECT_TRUE(find_rhythm_cues(sine(1000, 2.0, 0.3), kRate, cue).empty());  // a steady tone
}

TEST(AudioLabel, InsertedCuesAreFoundWhereTheyWerePut) {
  const RhythmCue cue;
  const std::vector<std::vector<float>> programme{sine(440, 6.0, 0.3), sine(440, 6.0, 0.3)};
  const auto tones = rhythm_cue_samples(cue, kRate, cue_level_rms(programme, kRate));
  AudioLabelOptions options;
  options.spots = {AudioSpot::kStart, AudioSpot::kMiddle, AudioSpot::kEnd};
  auto labelled = label_audio(programme, kRate, tones, options);
  ASSERT_TRUE(labelled);
  ASSERT_EQ(labelled->cue_starts.size(), 3u);
  const std::size_t gap = static_cast<std::size_t>(options.gap_seconds * kRate);
  EXPECT_EQ(labelled->channels[0].size(), programme[0].size() + 3 * tones.size() + 4 * gap);
  const auto found = find_rhythm_cues(labelled->channels[1], kRate, cue);
  ASSERT_EQ(found.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(found[i], static_cast<double>(labelled->cue_starts[i]) / kRate, 0.02) << i;
  }
  EXPECT_NEAR(found[0], 0.0, 0.02);
  // The end cue finishes the file.
  EXPECT_EQ(labelled->cue_starts[2] + tones.size(), labelled->channels[0].size());
}

TEST(AudioLabel, MixedCueLiesOverTheProgrammeAndIsStillFound) {
  const RhythmCue cue;
  const std::vector<std::vector<float>> programme{sine(440, 5.0, 0.3)};
  const auto tones = rhythm_cue_samples(cue, kRate, cue_level_rms(programme, kRate));
  AudioLabelOptions options;
  options.mode = AudioMode::kMix;
  options.spots = {AudioSpot::kEnd};
  auto labelled = label_audio(programme, kRate, tones, options);
  ASSERT_TRUE(labelled);
  EXPECT_EQ(labelled->channels[0].size(), programme[0].size());  // same length
  const auto found = find_rhythm_cues(labelled->channels[0], kRate, cue);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NEAR(found[0], static_cast<double>(programme[0].size() - tones.size()) / kRate, 0.02);
}

TEST(AudioLabel, LoudnessFollowsTheProgrammeWithinLimits) {
  const double normal = cue_level_rms({sine(440, 2.0, 0.2)}, kRate);
  EXPECT_NEAR(normal, 0.2 / std::numbers::sqrt2, 0.005);
  EXPECT_NEAR(cue_level_rms({sine(440, 2.0, 0.9)}, kRate), std::pow(10.0, -12.0 / 20), 1e-6);
  EXPECT_NEAR(cue_level_rms({sine(440, 2.0, 0.01)}, kRate), std::pow(10.0, -30.0 / 20), 1e-6);
  EXPECT_NEAR(cue_level_rms({std::vector<float>(kRate, 0.0f)}, kRate), std::pow(10.0, -24.0 / 20),
              1e-6);
  // Silence between phrases does not lower the level (it is gated out).
  auto phrases = sine(440, 1.0, 0.2);
  phrases.insert(phrases.end(), 3 * kRate, 0.0f);
  EXPECT_NEAR(cue_level_rms({phrases}, kRate), normal, 0.005);
}

TEST(AudioLabel, RefusesEmptyInputs) {
  EXPECT_FALSE(label_audio({}, kRate, {0.1f}, {}));
  EXPECT_FALSE(label_audio({sine(440, 1, 0.1)}, kRate, {}, {}));
  EXPECT_FALSE(label_audio({sine(440, 1, 0.1), sine(440, 2, 0.1)}, kRate, {0.1f}, {}));
}

TEST(VoicePrompt, MandarinAtNormalSpeed) {
  auto clip = speak_mandarin();
  ASSERT_TRUE(clip) << clip.error().message;
  EXPECT_GT(clip->sample_rate, 0);
  EXPECT_GE(clip->chars_per_minute, 120.0);
  EXPECT_LE(clip->chars_per_minute, 160.0);
  const auto fitted = fit_voice_clip(clip->samples, clip->sample_rate, 48000, 0.1);
  EXPECT_NEAR(static_cast<double>(fitted.size()) / 48000,
              static_cast<double>(clip->samples.size()) / clip->sample_rate, 0.01);
  EXPECT_NEAR(rms(fitted, 0, fitted.size()), 0.1, 0.01);
}

// A video's sound track is seen block by block: the loudness and the mix must not depend on
// how the decoder cuts it.
Channels blocks_of(const Channels& whole, std::size_t from, std::size_t to) {
  Channels block;
  for (const auto& c : whole) {
    block.emplace_back(c.begin() + static_cast<std::ptrdiff_t>(from),
                       c.begin() + static_cast<std::ptrdiff_t>(to));
  }
  return block;
}

TEST(StreamedAudioLabel, GatedLoudnessInBlocksEqualsTheWhole) {
  // Speech-like: phrases and pauses, so the gate matters; 1023-sample blocks cross the 50 ms
  // blocks at every offset.
  std::vector<float> phrases;
  for (int i = 0; i < 4; ++i) {
    const auto phrase = sine(300, 0.7, 0.05 + 0.1 * i);
    phrases.insert(phrases.end(), phrase.begin(), phrase.end());
    phrases.insert(phrases.end(), static_cast<std::size_t>(0.4 * kRate), 0.0f);
  }
  const Channels whole{phrases, sine(500, static_cast<double>(phrases.size()) / kRate, 0.1)};
  GatedLoudness streamed(kRate);
  for (std::size_t at = 0; at < phrases.size(); at += 1023) {
    streamed.add(blocks_of(whole, at, std::min(phrases.size(), at + 1023)));
  }
  const double expected = cue_level_rms(whole, kRate);
  EXPECT_NEAR(streamed.cue_level_rms(), expected, 1e-9);
  // And the rule itself is not trivial here: louder than a quiet programme's level.
  EXPECT_GT(expected, cue_level_rms({sine(300, 2.0, 0.02)}, kRate) * 2);
}

TEST(StreamedAudioLabel, MixedCueInBlocksEqualsTheWholeMix) {
  const RhythmCue cue;
  const Channels programme{sine(440, 6.0, 0.3), sine(660, 6.0, 0.2)};
  const auto tones = rhythm_cue_samples(cue, kRate, 0.1);
  const std::vector<AudioSpot> spots{AudioSpot::kEnd, AudioSpot::kStart, AudioSpot::kMiddle};
  auto whole = label_audio(programme, kRate, tones, {spots, AudioMode::kMix});
  ASSERT_TRUE(whole);
  const MixedCue mixed(tones, spots, programme.front().size());
  ASSERT_EQ(mixed.starts(), whole->cue_starts);
  Channels streamed(programme.size());
  for (std::size_t at = 0; at < programme.front().size(); at += 960) {
    const std::size_t to = std::min(programme.front().size(), at + 960);
    Channels block = blocks_of(programme, at, to);
    mixed.apply(static_cast<std::int64_t>(at), block);
    for (std::size_t c = 0; c < block.size(); ++c) {
      streamed[c].insert(streamed[c].end(), block[c].begin(), block[c].end());
    }
  }
  EXPECT_EQ(streamed, whole->channels);
  const auto found = find_rhythm_cues(streamed.front(), kRate, cue);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_NEAR(found[1], (6.0 - 1.32) / 2, 0.03);
}

TEST(StreamedAudioLabel, ACueLongerThanTheProgrammeIsCutNotAppended) {
  const auto tones = rhythm_cue_samples({}, kRate, 0.1);
  Channels block{std::vector<float>(static_cast<std::size_t>(0.5 * kRate), 0.0f)};
  const MixedCue mixed(tones, {AudioSpot::kStart, AudioSpot::kEnd}, block.front().size());
  EXPECT_EQ(mixed.starts(), std::vector<std::size_t>{0});
  mixed.apply(0, block);
  EXPECT_EQ(block.front().size(), static_cast<std::size_t>(0.5 * kRate));
  EXPECT_GT(rms(block.front(), 0, static_cast<std::size_t>(0.1 * kRate)), 0.05);
}

}  // namespace
}  // namespace synthgate::labels
