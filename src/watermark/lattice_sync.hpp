#pragma once

#include <opencv2/core/mat.hpp>
#include <opencv2/core/types.hpp>

#include <vector>

namespace synthgate::watermark {

// The repeating tile makes the image's high-pass residual periodic; its autocorrelation then
// peaks at every lattice vector. The two shortest ones give the tile's period along each
// axis, and so any scaling (even unequal in x and y) and a small rotation, without any
// template or original.
struct Lattice {
  cv::Point2d x_axis;  // the lattice vector closest to +x, in residual pixels
  cv::Point2d y_axis;  // the one closest to +y
};

// `residual` is CV_32F. Periods are searched in [min_period, max_period] pixels within
// about 11 degrees of each axis. Returns up to `per_axis` candidate vectors along each axis
// (the strongest autocorrelation peaks that stand out of the noise) combined into lattices,
// most likely first; empty when nothing stands out. A weak mark's true period is not always
// the strongest peak: the caller tells them apart (by the synchronisation cells), which costs
// no decode and so no false-positive chance.
std::vector<Lattice> candidate_lattices(const cv::Mat& residual, double min_period,
                                        double max_period, int per_axis);

}  // namespace synthgate::watermark
