#pragma once

// The attacks of the watermark robustness suite (issue 5), applied with OpenCV in process:
// an independent implementation of each transform, not the watermark's own code.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <functional>
#include <string>
#include <vector>

namespace synthgate::testing {

struct ImageAttack {
  std::string name;
  std::function<cv::Mat(const cv::Mat&)> apply;
};

// libjpeg's defaults, which OpenCV keeps, subsample chroma 2x2 (4:2:0).
inline cv::Mat jpeg(const cv::Mat& image, int quality) {
  std::vector<std::uint8_t> bytes;
  cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
  return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

inline cv::Mat webp(const cv::Mat& image, int quality) {
  std::vector<std::uint8_t> bytes;
  cv::imencode(".webp", image, bytes, {cv::IMWRITE_WEBP_QUALITY, quality});
  return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

inline cv::Mat resize_by(const cv::Mat& image, double factor) {
  cv::Mat out;
  cv::resize(image, out, cv::Size(), factor, factor, cv::INTER_AREA);
  return out;
}

inline cv::Mat centre_crop(const cv::Mat& image, double share) {
  const int w = static_cast<int>(image.cols * share);
  const int h = static_cast<int>(image.rows * share);
  return image(cv::Rect((image.cols - w) / 2, (image.rows - h) / 2, w, h)).clone();
}

inline cv::Mat corner_crop(const cv::Mat& image, double share) {
  return image(cv::Rect(0, 0, static_cast<int>(image.cols * share),
                        static_cast<int>(image.rows * share)))
      .clone();
}

// Brightness +20% of the range and contrast -20% around mid-grey.
inline cv::Mat brightness_contrast(const cv::Mat& image) {
  cv::Mat out;
  image.convertTo(out, -1, 0.8, 0.2 * 127.5 + 0.2 * 255.0);
  return out;
}

inline cv::Mat gaussian_noise(const cv::Mat& image, double sigma, std::uint64_t seed) {
  cv::Mat noise(image.size(), CV_32FC(image.channels()));
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
  cv::Mat f;
  image.convertTo(f, CV_32F);
  cv::Mat out;
  cv::Mat(f + noise).convertTo(out, CV_8U);
  return out;
}

// ImageMagick's "-blur 0x1": a Gaussian of radius (sigma) 1.
inline cv::Mat blur(const cv::Mat& image) {
  cv::Mat out;
  cv::GaussianBlur(image, out, cv::Size(0, 0), 1.0);
  return out;
}

// Rotated about the centre and cut back to the original frame (corners filled black).
inline cv::Mat rotate(const cv::Mat& image, double degrees) {
  const cv::Mat m = cv::getRotationMatrix2D(
      cv::Point2f(static_cast<float>(image.cols) / 2.0F, static_cast<float>(image.rows) / 2.0F),
      degrees, 1.0);
  cv::Mat out;
  cv::warpAffine(image, out, m, image.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);
  return out;
}

inline std::vector<ImageAttack> robustness_attacks() {
  return {
      {"none", [](const cv::Mat& m) { return m.clone(); }},
      {"jpeg q50 4:2:0", [](const cv::Mat& m) { return jpeg(m, 50); }},
      {"webp q75", [](const cv::Mat& m) { return webp(m, 75); }},
      {"resize 50%", [](const cv::Mat& m) { return resize_by(m, 0.5); }},
      {"crop 90% centre", [](const cv::Mat& m) { return centre_crop(m, 0.9); }},
      {"crop 80% corner", [](const cv::Mat& m) { return corner_crop(m, 0.8); }},
      {"brightness +20% contrast -20%", [](const cv::Mat& m) { return brightness_contrast(m); }},
      {"noise sigma 5", [](const cv::Mat& m) { return gaussian_noise(m, 5.0, 12345); }},
      {"blur radius 1", [](const cv::Mat& m) { return blur(m); }},
      {"rotate 2 deg", [](const cv::Mat& m) { return rotate(m, 2.0); }},
      {"resize 70% > crop 90% > jpeg 60",
       [](const cv::Mat& m) { return jpeg(centre_crop(resize_by(m, 0.7), 0.9), 60); }},
  };
}

}  // namespace synthgate::testing
