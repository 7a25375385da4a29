#pragma once

// The natural photos of the watermark suites, from shared/testdata/pdq (see its README).
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace synthgate::testing {

inline const std::vector<std::string>& natural_photo_paths() {
  static const std::vector<std::string> paths = {
      "pdq/images/bridge-mods/aaa-orig.jpg",
      "pdq/images/reg-test-input/dih/bridge-2-rotate-90.jpg",
      "pdq/images/reg-test-input/pen-and-coaster.png",
      "pdq/images/reg-test-input/labelme-subset/q0003.jpg",
      "pdq/images/reg-test-input/labelme-subset/q0004.jpg",
      "pdq/images/reg-test-input/labelme-subset/q0122.jpg",
      "pdq/images/reg-test-input/labelme-subset/q0291.jpg",
      "pdq/images/reg-test-input/labelme-subset/q0746.jpg",
      "pdq/images/reg-test-input/labelme-subset/q1050.jpg",
      "pdq/images/reg-test-input/labelme-subset/q2821.jpg",
  };
  return paths;
}

// Loads one photo as BGR, resized (antialiased) to exactly `size`. Throws with the path
// when the shared test data is missing, so that the failure says what to fetch.
inline cv::Mat load_natural_photo(const std::filesystem::path& testdata, const std::string& rel,
                                  cv::Size size) {
  const std::filesystem::path path = testdata / rel;
  cv::Mat image = cv::imread(path.string(), cv::IMREAD_COLOR);
  if (image.empty()) {
    throw std::runtime_error("missing test photo " + path.string() +
                             " (shared/testdata must sit beside the repository)");
  }
  cv::Mat out;
  const bool shrinking = size.area() < image.size().area();
  cv::resize(image, out, size, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_CUBIC);
  return out;
}

}  // namespace synthgate::testing
