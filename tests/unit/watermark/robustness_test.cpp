// Issue 5's robustness floor on a small subset (the bench prints the full table): every
// attack of the suite on marked natural photos, applied by OpenCV, not by our own code.
#include <gtest/gtest.h>

#include <cstdio>

#include "photo_fixture.hpp"
#include "support/image_attacks.hpp"
#include "watermark/image_watermark.hpp"

namespace synthgate::watermark {
namespace {

class Robustness : public testing::PhotoTest {};

TEST_F(Robustness, ExactPayloadAfterEveryAttack) {
  const SecretBytes key(std::vector<std::uint8_t>(32, 0x33));
  std::vector<cv::Mat> marked;
  std::vector<std::uint64_t> payloads;
  // Three photos at 1280x720 and the three most textured at 512x512.
  const std::vector<std::pair<std::size_t, cv::Size>> subset = {{0, {1280, 720}}, {2, {1280, 720}},
                                                                {5, {1280, 720}}, {0, {512, 512}},
                                                                {2, {512, 512}},  {6, {512, 512}}};
  for (const auto& [index, size] : subset) {
    payloads.push_back(std::uint64_t{0xabcdef0000000000} + std::uint64_t{index} * 977U +
                       static_cast<std::uint64_t>(size.width));
    marked.push_back(embed_image_watermark(photo(index, size), payloads.back(), key).value());
  }
  for (const auto& attack : testing::robustness_attacks()) {
    int exact = 0;
    for (std::size_t i = 0; i < marked.size(); ++i) {
      const auto reading = read_image_watermark(attack.apply(marked[i]), key);
      ASSERT_TRUE(reading);
      exact += reading->found && reading->payload == payloads[i];
    }
    RecordProperty(attack.name, exact);
    std::printf("%-34s %d/%zu\n", attack.name.c_str(), exact, marked.size());
    // The floor, 95%: with 6 images, every one must read.
    const int floor_percent = 95;
    EXPECT_GE(exact * 100, floor_percent * static_cast<int>(marked.size())) << attack.name;
  }
}

}  // namespace
}  // namespace synthgate::watermark
