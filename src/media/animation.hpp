#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// Bounds on what an animated file may ask of memory and time. A few full canvases are held at
// once (about six BGRA canvases for GIF, three for WebP), never every frame.
struct AnimationLimits {
  std::uint64_t max_canvas_pixels = 16'000'000;  // width x height of the screen/canvas
  std::uint64_t max_frames = 10'000;
  std::uint64_t max_total_pixels = 2'000'000'000;  // frames x canvas: the pixels composed
};

// What an animation is, apart from its pixels.
struct AnimationInfo {
  int width = 0;
  int height = 0;
  int frames = 0;
  int loop_count = -1;         // 0: forever; -1: no loop setting (a GIF without NETSCAPE2.0)
  std::vector<int> delays_ms;  // one per frame
  bool transparent = false;    // some frame leaves pixels transparent
  std::string encoding;        // GIF: "palette"; WebP: "lossless", "lossy" or "mixed"
};

// One frame as shown: the whole canvas composed (disposal and blending applied), 8-bit BGRA,
// alpha 0 where nothing is drawn.
using FrameVisitor = std::function<Status(const cv::Mat& bgra, int index)>;

// Edits one composed frame in place and returns the rectangle it may have changed (empty when
// nothing); pixels outside it are kept as they were.
using FrameEdit = std::function<Result<cv::Rect>(cv::Mat& bgra, int index)>;

struct EditedAnimation {
  Bytes bytes;
  AnimationInfo info;
};

}  // namespace synthgate::media
