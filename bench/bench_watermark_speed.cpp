// Embed and read time of the image watermark at 512x512, 1920x1080 and 3840x2160 (and an
// unmarked read at 322x322) on one core, colour conversion included, file decoding and encoding
// excluded.
#include <benchmark/benchmark.h>
#include <opencv2/core/utility.hpp>

#include "support/natural_photos.hpp"
#include "watermark/image_watermark.hpp"

namespace {

using namespace synthgate;

const SecretBytes& bench_key() {
  static const SecretBytes key(std::vector<std::uint8_t>(32, 0x42));
  return key;
}

cv::Mat photo(cv::Size size) {
  return testing::load_natural_photo(SYNTHGATE_TESTDATA_DIR, testing::natural_photo_paths()[0],
                                     size);
}

void BM_Embed(benchmark::State& state) {
  cv::setNumThreads(1);
  const cv::Mat image = photo({static_cast<int>(state.range(0)), static_cast<int>(state.range(1))});
  for (auto _ : state) {
    auto marked = watermark::embed_image_watermark(image, 0x0123456789abcdefULL, bench_key());
    benchmark::DoNotOptimize(marked);
  }
}

void BM_Read(benchmark::State& state) {
  cv::setNumThreads(1);
  const cv::Mat image = photo({static_cast<int>(state.range(0)), static_cast<int>(state.range(1))});
  const cv::Mat marked =
      watermark::embed_image_watermark(image, 0x0123456789abcdefULL, bench_key()).value();
  for (auto _ : state) {
    auto reading = watermark::read_image_watermark(marked, bench_key());
    if (!reading || !reading->found) state.SkipWithError("mark not found");
    benchmark::DoNotOptimize(reading);
  }
}

void BM_ReadUnmarked(benchmark::State& state) {
  cv::setNumThreads(1);
  const cv::Mat image = photo({static_cast<int>(state.range(0)), static_cast<int>(state.range(1))});
  for (auto _ : state) {
    auto reading = watermark::read_image_watermark(image, bench_key());
    benchmark::DoNotOptimize(reading);
  }
}

void sizes(benchmark::internal::Benchmark* b) {
  b->Args({512, 512})->Args({1920, 1080})->Args({3840, 2160})->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_Embed)->Apply(sizes);
BENCHMARK(BM_Read)->Apply(sizes);
BENCHMARK(BM_ReadUnmarked)->Apply(sizes);
// Under 360 pixels a read that finds nothing also scans the tile period (image_watermark.cpp).
BENCHMARK(BM_ReadUnmarked)->Args({322, 322})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
