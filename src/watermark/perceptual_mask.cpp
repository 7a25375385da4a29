#include "watermark/perceptual_mask.hpp"

#include <opencv2/imgproc.hpp>

namespace synthgate::watermark {

cv::Mat perceptual_mask(const cv::Mat& gray, const MaskParameters& params) {
  cv::Mat smooth;
  cv::blur(gray, smooth, cv::Size(3, 3));
  cv::Mat detail;
  cv::absdiff(gray, smooth, detail);
  cv::Mat texture;
  cv::boxFilter(detail, texture, CV_32F, cv::Size(5, 5));
  cv::Mat strength = texture * params.gain;
  cv::min(strength, params.max_strength, strength);
  // Smooth but not flat areas (gradients, upscaled photos) still take a one-level change:
  // a random one-level step is below what the eye sees there, as in 8-bit dithering.
  cv::Mat floor_strength = cv::Mat::zeros(texture.size(), CV_32F);
  floor_strength.setTo(params.floor_strength, texture >= params.smooth_texture);
  cv::max(strength, floor_strength, strength);
  // Flat areas (one colour, clipped highlights and shadows) take no change at all: any
  // pattern would show there, and the dithered levels would otherwise dot them sparsely.
  strength.setTo(0.0F, texture < params.flat_texture);
  return strength;
}

}  // namespace synthgate::watermark
