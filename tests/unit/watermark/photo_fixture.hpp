#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "support/natural_photos.hpp"

namespace synthgate::testing {

// Fails (not skips) when shared/testdata is missing, naming where it was looked for.
class PhotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::is_directory(testdata_ / "pdq" / "images"))
        << "shared test data missing: " << testdata_
        << " (set SYNTHGATE_TESTDATA_DIR or put shared/ beside the repository)";
  }
  cv::Mat photo(std::size_t index, cv::Size size) const {
    return load_natural_photo(testdata_, natural_photo_paths().at(index), size);
  }
  const std::filesystem::path testdata_ = SYNTHGATE_TESTDATA_DIR;
};

}  // namespace synthgate::testing
