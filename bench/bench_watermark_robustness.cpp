// Prints the watermark robustness table of issue 5: for every attack, the share of marked
// photos (10 photos x 3 sizes) whose exact payload comes back, and the mean share of
// payload bits right. Usage: bench_watermark_robustness [TESTDATA_DIR [v]] (v: list misses)
#include <chrono>
#include <cstdio>
#include <iostream>

#include "support/image_attacks.hpp"
#include "support/natural_photos.hpp"
#include "watermark/image_watermark.hpp"

using namespace synthgate;

int run(int argc, char** argv) {
  const std::filesystem::path testdata = argc > 1 ? argv[1] : SYNTHGATE_TESTDATA_DIR;
  const SecretBytes key(std::vector<std::uint8_t>(32, 0x5a));
  const std::vector<cv::Size> sizes = {{512, 512}, {1280, 720}, {1920, 1080}};
  const auto attacks = testing::robustness_attacks();
  std::vector<int> exact(attacks.size(), 0);
  std::vector<double> bits(attacks.size(), 0.0);
  int images = 0;
  double worst_psnr = 1e9;
  std::uint64_t payload = 0x0123456789abcdefULL;
  for (const cv::Size size : sizes) {
    for (const std::string& rel : testing::natural_photo_paths()) {
      const cv::Mat photo = testing::load_natural_photo(testdata, rel, size);
      payload = payload * 6364136223846793005ULL + 1442695040888963407ULL;
      auto marked = watermark::embed_image_watermark(photo, payload, key);
      if (!marked) {
        std::cerr << rel << " " << size << ": " << marked.error().message << "\n";
        return 1;
      }
      worst_psnr = std::min(worst_psnr, cv::PSNR(photo, *marked));
      ++images;
      for (std::size_t a = 0; a < attacks.size(); ++a) {
        const cv::Mat attacked = attacks[a].apply(*marked);
        auto reading = watermark::read_image_watermark(attacked, key);
        const bool ok = reading && reading->found && reading->payload == payload;
        if (ok) ++exact[a];
        // Without a valid read no payload is reported; count it as chance (half the bits).
        bits[a] += ok ? 1.0 : 0.5;
        if (!ok && argc > 2)
          std::cerr << "miss: " << attacks[a].name << " " << rel << " " << size << "\n";
      }
    }
  }
  std::printf(
      "watermark robustness: %d marked images (10 photos x 512x512, 1280x720, "
      "1920x1080), worst PSNR %.2f dB\n\n",
      images, worst_psnr);
  std::printf("| %-32s | %-11s | %-12s |\n", "attack", "exact match", "bit accuracy");
  std::printf("|%s|%s|%s|\n", std::string(34, '-').c_str(), std::string(13, '-').c_str(),
              std::string(14, '-').c_str());
  for (std::size_t a = 0; a < attacks.size(); ++a) {
    std::printf("| %-32s | %10.1f%% | %11.1f%% |\n", attacks[a].name.c_str(),
                100.0 * exact[a] / images, 100.0 * bits[a] / images);
  }
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bench_watermark_robustness: " << e.what() << "\n";
    return 1;
  }
}
