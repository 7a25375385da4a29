// FFmpeg round trips of labelled audio: each format keeps its codec, sample rate and channel
// layout, and the rhythm cue is found by the detector at the start of the decoded result.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "labels/audio_label.hpp"
#include "media/audio_file.hpp"
#include "support/temp_dir.hpp"

namespace synthgate {
namespace {

struct AudioCase {
  std::string name;
  std::string file;
  std::string ffmpeg_args;  // codec and rate options for the generated input
  std::string codec;
  int rate;
  int channels;
};

class AudioRoundTrip : public ::testing::TestWithParam<AudioCase> {};

TEST_P(AudioRoundTrip, KeepsFormatAndCarriesTheCue) {
  const AudioCase c = GetParam();
  const testing::TempDir dir;
  const auto in = dir.path() / c.file;
  const std::string command =
      "ffmpeg -loglevel error -y -f lavfi -i 'sine=frequency=330:duration=3:sample_rate=" +
      std::to_string(c.rate) + "' -ac " + std::to_string(c.channels) + " " + c.ffmpeg_args + " '" +
      in.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  auto audio = media::decode_audio_file(in);
  ASSERT_TRUE(audio) << audio.error().message;
  EXPECT_EQ(audio->format.codec, c.codec);
  EXPECT_EQ(audio->format.sample_rate, c.rate);
  EXPECT_EQ(audio->format.channels, c.channels);
  EXPECT_NEAR(audio->seconds(), 3.0, 0.1);

  const labels::RhythmCue cue;
  const auto tones = labels::rhythm_cue_samples(cue, audio->format.sample_rate,
                                                labels::cue_level_rms(audio->channels, c.rate));
  auto labelled = labels::label_audio(audio->channels, c.rate, tones, {});
  ASSERT_TRUE(labelled);
  media::DecodedAudio out_audio{audio->format, std::move(labelled->channels)};
  const auto out = dir.path() / ("out-" + c.file);
  ASSERT_TRUE(media::encode_audio_file(out_audio, out));

  auto back = media::decode_audio_file(out);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->format.codec, c.codec);
  EXPECT_EQ(back->format.container, audio->format.container);
  EXPECT_EQ(back->format.sample_rate, c.rate);
  EXPECT_EQ(back->format.channels, c.channels);
  EXPECT_EQ(back->format.channel_layout, audio->format.channel_layout);
  const auto found = labels::find_rhythm_cues(back->channels.back(), c.rate, cue);
  ASSERT_EQ(found.size(), 1u) << c.name;
  // Lossy codecs add their encoder delay (up to ~50 ms) in front.
  EXPECT_LT(found[0], 0.08) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Formats, AudioRoundTrip,
    ::testing::Values(AudioCase{"wav", "a.wav", "-c:a pcm_s16le", "pcm_s16le", 44100, 2},
                      AudioCase{"mp3", "a.mp3", "-c:a libmp3lame -b:a 128k", "mp3", 44100, 2},
                      AudioCase{"flac", "a.flac", "-c:a flac", "flac", 48000, 1},
                      AudioCase{"opus", "a.ogg", "-c:a libopus -b:a 64k", "opus", 48000, 2},
                      AudioCase{"m4a", "a.m4a", "-c:a aac -b:a 128k", "aac", 22050, 1}),
    [](const ::testing::TestParamInfo<AudioCase>& param_info) { return param_info.param.name; });

TEST(AudioFile, RefusesWhatIsNotAudio) {
  const testing::TempDir dir;
  const auto text = dir.path() / "t.txt";
  ASSERT_EQ(std::system(("printf 'hello' > '" + text.string() + "'").c_str()), 0);
  EXPECT_FALSE(media::decode_audio_file(text));
  EXPECT_FALSE(media::decode_audio_file(dir.path() / "missing.wav"));
}

}  // namespace
}  // namespace synthgate
