#pragma once

#include <opencv2/core/mat.hpp>

namespace synthgate::watermark {

// How strongly each pixel may be changed, in grey levels (CV_32F, same size as `gray`).
// Proportional to the local texture (mean absolute high-pass of the neighbourhood): noise is
// hidden by texture and seen on flat areas, where the strength falls to zero.
struct MaskParameters {
  float gain = 2.5F;             // grey levels of strength per grey level of texture
  float max_strength = 8.0F;     // cap on strong edges, where ringing would show
  float flat_texture = 0.0625F;  // below this texture an area counts as flat and is left alone
  float smooth_texture = 0.25F;  // from here on an area takes at least floor_strength
  float floor_strength = 1.0F;   // what smooth areas take when texture alone gives less
};

cv::Mat perceptual_mask(const cv::Mat& gray, const MaskParameters& params = {});

}  // namespace synthgate::watermark
