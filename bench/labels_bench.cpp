// Visible labels: labelled images per second (decode, draw, encode: 1080p JPEG, 4K PNG) and
// audio labelling speed as a multiple of real time (decode, cue, encode through FFmpeg).
#include <benchmark/benchmark.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <numbers>

#include "labels/audio_label.hpp"
#include "labels/image_label.hpp"
#include "media/audio_file.hpp"
#include "media/image_codec.hpp"

namespace {

using namespace synthgate;

// A busy, photo-like frame: smooth gradients plus noise.
cv::Mat frame(cv::Size size) {
  cv::Mat m(size, CV_8UC3);
  cv::RNG rng(3);
  rng.fill(m, cv::RNG::UNIFORM, 0, 255);
  cv::GaussianBlur(m, m, cv::Size(0, 0), 3.0);
  return m;
}

void label_image_file(benchmark::State& state, cv::Size size, media::ImageFormat format) {
  auto font = labels::LabelFont::load();
  auto bytes = media::encode_image(frame(size), format);
  if (!font || !bytes) {
    state.SkipWithError("setup failed");
    return;
  }
  for (auto _ : state) {
    auto image = media::decode_image(*bytes);
    auto labelled = labels::label_image(image->pixels, *font, {});
    auto out = media::encode_image(labelled->pixels, format);
    benchmark::DoNotOptimize(out);
  }
  state.counters["images_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_LabelJpeg1080p(benchmark::State& state) {
  label_image_file(state, {1920, 1080}, media::ImageFormat::kJpeg);
}
void BM_LabelPng4K(benchmark::State& state) {
  label_image_file(state, {3840, 2160}, media::ImageFormat::kPng);
}
BENCHMARK(BM_LabelJpeg1080p)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LabelPng4K)->Unit(benchmark::kMillisecond)->UseRealTime();

// Only the drawing, on pixels already decoded: what the label itself costs.
void BM_DrawLabel8K(benchmark::State& state) {
  auto font = labels::LabelFont::load();
  const cv::Mat pixels = frame({7680, 4320});
  auto label = labels::prepare_label(*font, {}, pixels.size());
  cv::Mat work = pixels.clone();
  for (auto _ : state) {
    auto style = labels::apply_label(work, *label);
    benchmark::DoNotOptimize(style);
  }
}
BENCHMARK(BM_DrawLabel8K)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Audio: a 60 s stereo 44.1 kHz programme in `codec`, labelled at start and end.
void label_audio_file(benchmark::State& state, const char* codec, const char* container) {
  constexpr int kRate = 44100;
  constexpr double kSeconds = 60.0;
  media::keep_codec_logs_to_errors();
  media::DecodedAudio programme;
  programme.format = {container, codec, kRate, 2, "stereo", 128000, "fltp"};
  programme.channels.assign(2, std::vector<float>(static_cast<std::size_t>(kSeconds * kRate)));
  for (auto& ch : programme.channels) {
    for (std::size_t i = 0; i < ch.size(); ++i) {
      ch[i] = static_cast<float>(
          0.2 * std::sin(2 * std::numbers::pi * 330.0 * static_cast<double>(i) / kRate));
    }
  }
  const auto dir = std::filesystem::temp_directory_path();
  const auto in = dir / ("synthgate-bench-in." + std::string(container));
  const auto out = dir / ("synthgate-bench-out." + std::string(container));
  if (!media::encode_audio_file(programme, in)) {
    state.SkipWithError("cannot encode the programme");
    return;
  }
  labels::AudioLabelOptions options;
  options.spots = {labels::AudioSpot::kStart, labels::AudioSpot::kEnd};
  for (auto _ : state) {
    auto audio = media::decode_audio_file(in);
    const auto cue =
        labels::rhythm_cue_samples({}, kRate, labels::cue_level_rms(audio->channels, kRate));
    auto labelled = labels::label_audio(audio->channels, kRate, cue, options);
    media::DecodedAudio result{audio->format, std::move(labelled->channels)};
    auto ok = media::encode_audio_file(result, out);
    benchmark::DoNotOptimize(ok);
  }
  state.counters["x_realtime"] = benchmark::Counter(
      kSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  std::error_code ec;
  std::filesystem::remove(in, ec);
  std::filesystem::remove(out, ec);
}

void BM_LabelAudioWav(benchmark::State& state) {
  label_audio_file(state, "pcm_s16le", "wav");
}
void BM_LabelAudioMp3(benchmark::State& state) {
  label_audio_file(state, "mp3", "mp3");
}
BENCHMARK(BM_LabelAudioWav)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_LabelAudioMp3)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
