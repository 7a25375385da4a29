// Implicit label throughput: write_label and read_label on a 10 MB JPEG (noise, quality 95,
// made in memory with OpenCV) and, for comparison, a 10 MB TIFF and PDF. google-benchmark
// prints bytes_per_second (MB/s of input handled).
// Usage: bench_metadata [--benchmark_filter=Jpeg]
#include <benchmark/benchmark.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <string>

#include "metadata/implicit_label.hpp"

namespace {

using namespace synthgate;

metadata::AigcRecord record() {
  metadata::AigcRecord r;
  r.label = "1";
  r.content_producer = "001191440300708461136T1XGW3";
  r.produce_id = "01jdz3k5m8q9r7s6t5v4w3x2y1";
  return r;
}

// An image of noise encoded to at least `bytes` bytes.
Bytes encoded(const std::string& ext, std::size_t bytes, std::vector<int> params) {
  for (int side = 1024;; side += side / 4) {
    cv::Mat image(side, side, CV_8UC3);
    cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
    std::vector<std::uint8_t> out;
    cv::imencode(ext, image, out, params);
    if (out.size() >= bytes) return Bytes(out.begin(), out.end());
  }
}

const Bytes& jpeg() {
  static const Bytes file = encoded(".jpg", 10u << 20, {cv::IMWRITE_JPEG_QUALITY, 95});
  return file;
}

const Bytes& tiff() {
  static const Bytes file = encoded(".tif", 10u << 20, {cv::IMWRITE_TIFF_COMPRESSION, 1});
  return file;
}

// A 10 MB PDF: one page whose content stream is padding.
const Bytes& pdf() {
  static const Bytes file = [] {
    std::string content(10u << 20, ' ');
    std::string out = "%PDF-1.4\n";
    std::vector<std::size_t> offsets;
    auto add = [&](const std::string& body) {
      offsets.push_back(out.size());
      out += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
    };
    add("<< /Type /Catalog /Pages 2 0 R >>");
    add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>");
    add("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
    const std::size_t xref = out.size();
    out += "xref\n0 5\n0000000000 65535 f \n";
    for (std::size_t o : offsets) {
      std::string n = std::to_string(o);
      out += std::string(10 - n.size(), '0') + n + " 00000 n \n";
    }
    out += "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return Bytes(out.begin(), out.end());
  }();
  return file;
}

void write(benchmark::State& state, const Bytes& file) {
  for (auto _ : state) {
    auto out = metadata::write_label(file, record());
    if (!out) state.SkipWithError(out.error().message.c_str());
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(file.size()));
}

void read(benchmark::State& state, const Bytes& plain) {
  const Bytes file = *metadata::write_label(plain, record());
  for (auto _ : state) {
    auto reading = metadata::read_label(file);
    if (!reading || reading->count != 1) state.SkipWithError("label not read back");
    benchmark::DoNotOptimize(reading);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(file.size()));
}

void BM_JpegWriteLabel10MB(benchmark::State& state) {
  write(state, jpeg());
}
void BM_JpegReadLabel10MB(benchmark::State& state) {
  read(state, jpeg());
}
void BM_TiffWriteLabel10MB(benchmark::State& state) {
  write(state, tiff());
}
void BM_TiffReadLabel10MB(benchmark::State& state) {
  read(state, tiff());
}
void BM_PdfWriteLabel10MB(benchmark::State& state) {
  write(state, pdf());
}
void BM_PdfReadLabel10MB(benchmark::State& state) {
  read(state, pdf());
}

BENCHMARK(BM_JpegWriteLabel10MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JpegReadLabel10MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TiffWriteLabel10MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TiffReadLabel10MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PdfWriteLabel10MB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PdfReadLabel10MB)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
