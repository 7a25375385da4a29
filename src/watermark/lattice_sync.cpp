#include "watermark/lattice_sync.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
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

// A peak counts as a candidate when it stands this many standard deviations above the
// autocorrelation's mean over the searched lags. Low on purpose: candidates are checked
// against the synchronisation cells before any decode.
constexpr double kCandidatePeak = 3.5;

struct AxisCandidate {
  cv::Point2d axis;
  double height = 0.0;  // in standard deviations
};

// The period (shortest lattice vector) a peak stands for, refined to a fraction of a pixel.
cv::Point2d period_of(const Autocorrelation& ac, Peak best, int lo) {
  // The peak may be a multiple of the period when the overlap favours it.
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

std::vector<AxisCandidate> find_axis(const Autocorrelation& ac, bool along_x, double min_period,
                                     double max_period, int count) {
  const int limit = (along_x ? ac.width() : ac.height()) / 2 - 2;
  const int lo = static_cast<int>(std::ceil(min_period));
  const int hi = std::min(static_cast<int>(std::floor(max_period)), limit);
  if (hi <= lo) return {};
  double sum = 0.0;
  double sum_sq = 0.0;
  double n = 0.0;
  std::vector<Peak> peaks;
  for (int p = lo; p <= hi; ++p) {
    const int span = static_cast<int>(std::ceil(p * 0.2));
    for (int q = -span; q <= span; ++q) {
      const cv::Point lag = along_x ? cv::Point(p, q) : cv::Point(q, p);
      const float v = ac.at(lag);
      sum += v;
      sum_sq += static_cast<double>(v) * v;
      n += 1.0;
      if (local_max(ac, lag, 1).position == lag) peaks.push_back({lag, v});
    }
  }
  const double mean = sum / n;
  const double deviation = std::sqrt(std::max(sum_sq / n - mean * mean, 1e-12));
  std::sort(peaks.begin(), peaks.end(),
            [](const Peak& a, const Peak& b) { return a.value > b.value; });
  std::vector<AxisCandidate> out;
  for (const Peak& peak : peaks) {
    const double height = (peak.value - mean) / deviation;
    if (height < kCandidatePeak || static_cast<int>(out.size()) >= count) break;
    const cv::Point2d axis = period_of(ac, peak, lo);
    const bool known = std::any_of(out.begin(), out.end(), [&](const AxisCandidate& c) {
      return cv::norm(c.axis - axis) < 1.5;
    });
    if (!known) out.push_back({axis, height});
  }
  return out;
}

// The vector a quarter turn from `axis`: the other axis of a square lattice.
cv::Point2d quarter_turn(cv::Point2d axis, bool from_x) {
  return from_x ? cv::Point2d(-axis.y, axis.x) : cv::Point2d(axis.y, -axis.x);
}

}  // namespace

std::vector<Lattice> candidate_lattices(const cv::Mat& residual, double min_period,
                                        double max_period, int per_axis) {
  if (residual.empty() || residual.type() != CV_32FC1) return {};
  const Autocorrelation ac(residual);
  const auto xs = find_axis(ac, true, min_period, max_period, per_axis);
  const auto ys = find_axis(ac, false, min_period, max_period, per_axis);
  struct Scored {
    Lattice lattice;
    double height;
  };
  std::vector<Scored> scored;
  // Pairs of similar length (scaling unequal in x and y by up to 15%), then square lattices
  // from one axis alone (its partner may be hidden in the noise).
  for (const AxisCandidate& x : xs) {
    for (const AxisCandidate& y : ys) {
      const double ratio = cv::norm(x.axis) / cv::norm(y.axis);
      if (ratio > 0.87 && ratio < 1.15) scored.push_back({{x.axis, y.axis}, x.height + y.height});
    }
  }
  for (const AxisCandidate& x : xs) {
    scored.push_back({{x.axis, quarter_turn(x.axis, true)}, x.height});
  }
  for (const AxisCandidate& y : ys) {
    scored.push_back({{quarter_turn(y.axis, false), y.axis}, y.height});
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Scored& a, const Scored& b) { return a.height > b.height; });
  std::vector<Lattice> out;
  for (const Scored& s : scored) {
    const bool known = std::any_of(out.begin(), out.end(), [&](const Lattice& l) {
      return cv::norm(l.x_axis - s.lattice.x_axis) < 1.0 &&
             cv::norm(l.y_axis - s.lattice.y_axis) < 1.0;
    });
    if (!known) out.push_back(s.lattice);
  }
  return out;
}

}  // namespace synthgate::watermark
