#include "watermark/lattice_sync.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace synthgate::watermark {

namespace {

// The largest size not above n that the FFT handles fast; cropping costs nothing here.
int largest_fast_size(int n) {
  while (n > 1 && cv::getOptimalDFTSize(n) != n) --n;
  return n;
}

class Autocorrelation {
 public:
  explicit Autocorrelation(const cv::Mat& residual) {
    const cv::Mat r = residual(
        cv::Rect(0, 0, largest_fast_size(residual.cols), largest_fast_size(residual.rows)));
    // Whitened: each frequency's power over the mean power around it. The image's own
    // spectrum is smooth and flattens to about 1; the tile's spectral lines stand out, so
    // the autocorrelation keeps the lattice peaks and loses the image's broad hump.
    cv::Mat spectrum;
    cv::dft(r, spectrum, cv::DFT_COMPLEX_OUTPUT);
    cv::Mat planes[2];
    cv::split(spectrum, planes);
    cv::Mat power = planes[0].mul(planes[0]) + planes[1].mul(planes[1]);
    cv::Mat floor;
    cv::blur(power, floor, cv::Size(7, 7), cv::Point(-1, -1), cv::BORDER_REFLECT);
    cv::Mat weight = power / (floor + 1e-6);
    cv::min(weight, 20.0, weight);
    cv::Mat zero = cv::Mat::zeros(weight.size(), CV_32F);
    cv::Mat complex_weight;
    cv::merge(std::vector<cv::Mat>{weight, zero}, complex_weight);
    cv::idft(complex_weight, a_, cv::DFT_SCALE | cv::DFT_REAL_OUTPUT);
  }
  int width() const { return a_.cols; }
  int height() const { return a_.rows; }
  float at(int dx, int dy) const {
    return a_.at<float>(((dy % a_.rows) + a_.rows) % a_.rows, ((dx % a_.cols) + a_.cols) % a_.cols);
  }
  float at(cv::Point p) const { return at(p.x, p.y); }

 private:
  cv::Mat a_;
};

struct Peak {
  cv::Point position;
  float value = 0.0F;
};

cv::Point scaled(cv::Point p, double factor) {
  return {static_cast<int>(std::lround(p.x * factor)), static_cast<int>(std::lround(p.y * factor))};
}

Peak local_max(const Autocorrelation& ac, cv::Point centre, int radius) {
  Peak best{centre, ac.at(centre)};
  for (int dy = -radius; dy <= radius; ++dy) {
    for (int dx = -radius; dx <= radius; ++dx) {
      const cv::Point p(centre.x + dx, centre.y + dy);
      if (ac.at(p) > best.value) best = {p, ac.at(p)};
    }
  }
  return best;
}

// Sub-pixel position of a peak from a parabola through it and its neighbours.
cv::Point2d refine(const Autocorrelation& ac, cv::Point p) {
  const auto offset = [](double l, double c, double r) {
    const double curvature = l - 2.0 * c + r;
    if (curvature >= 0.0) return 0.0;
    return std::clamp(0.5 * (l - r) / curvature, -0.5, 0.5);
  };
  const double c = ac.at(p);
  return {p.x + offset(ac.at(p.x - 1, p.y), c, ac.at(p.x + 1, p.y)),
          p.y + offset(ac.at(p.x, p.y - 1), c, ac.at(p.x, p.y + 1))};
}

std::optional<cv::Point2d> find_axis(const Autocorrelation& ac, bool along_x, double min_period,
                                     double max_period) {
  const int limit = (along_x ? ac.width() : ac.height()) / 2 - 2;
  const int lo = static_cast<int>(std::ceil(min_period));
  const int hi = std::min(static_cast<int>(std::floor(max_period)), limit);
  if (hi <= lo) return std::nullopt;
  Peak best{{0, 0}, -std::numeric_limits<float>::infinity()};
  double sum = 0.0;
  double sum_sq = 0.0;
  double count = 0.0;
  for (int p = lo; p <= hi; ++p) {
    const int span = static_cast<int>(std::ceil(p * 0.2));
    for (int q = -span; q <= span; ++q) {
      const cv::Point lag = along_x ? cv::Point(p, q) : cv::Point(q, p);
      const float v = ac.at(lag);
      sum += v;
      sum_sq += static_cast<double>(v) * v;
      count += 1.0;
      if (v > best.value) best = {lag, v};
    }
  }
  const double mean = sum / count;
  const double deviation = std::sqrt(std::max(sum_sq / count - mean * mean, 1e-12));
  if ((best.value - mean) / deviation < 5.0) return std::nullopt;

  // The strongest peak may be a multiple of the period when the overlap favours it.
  for (const int k : {2, 3}) {
    const cv::Point fraction = scaled(best.position, 1.0 / k);
    if (std::max(std::abs(fraction.x), std::abs(fraction.y)) < lo) continue;
    const Peak candidate = local_max(ac, fraction, 1);
    if (candidate.value >= 0.5F * best.value) {
      best = candidate;
      break;
    }
  }

  // Longer multiples of the period pin it down more finely.
  cv::Point2d axis = refine(ac, best.position);
  for (int k = 2; k <= 8; ++k) {
    const cv::Point2d target = axis * k;
    if (std::abs(target.x) > ac.width() / 2 - 2 || std::abs(target.y) > ac.height() / 2 - 2) break;
    const Peak multiple = local_max(
        ac, {static_cast<int>(std::lround(target.x)), static_cast<int>(std::lround(target.y))}, 1);
    if (multiple.value < 0.25F * best.value) break;
    axis = refine(ac, multiple.position) / k;
  }
  return axis;
}

}  // namespace

std::optional<Lattice> estimate_lattice(const cv::Mat& residual, double min_period,
                                        double max_period) {
  if (residual.empty() || residual.type() != CV_32FC1) return std::nullopt;
  const Autocorrelation ac(residual);
  auto x_axis = find_axis(ac, true, min_period, max_period);
  auto y_axis = find_axis(ac, false, min_period, max_period);
  if (!x_axis || !y_axis) return std::nullopt;
  return Lattice{*x_axis, *y_axis};
}

}  // namespace synthgate::watermark
