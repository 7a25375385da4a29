#pragma once

#include <opencv2/core/mat.hpp>

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "labels/label_font.hpp"

namespace synthgate::labels {

inline constexpr std::string_view kDefaultImageWording = "AI生成";

// GB 45438 §5.2: an edge or a corner; bottom-right is the standard's example.
enum class ImagePosition { kBottomRight, kBottomLeft, kTopRight, kTopLeft, kBottom, kTop };
Result<ImagePosition> parse_image_position(std::string_view name);
std::string_view image_position_name(ImagePosition position);

// kAuto chooses from the background under the label: a solid contrasting fill on a flat
// background, a translucent plate on a busy one (and always with an alpha channel).
enum class LabelStyle { kAuto, kFill, kOutline, kPlate };
std::string_view label_style_name(LabelStyle style);

struct ImageLabelOptions {
  std::string wording{kDefaultImageWording};
  ImagePosition position = ImagePosition::kBottomRight;
  double height_fraction = 0.05;  // ink height / shortest side; the standard's floor is 0.05
  LabelStyle style = LabelStyle::kAuto;
};

// The label drawn once for a given frame size, applied to many frames (video, animation).
struct PreparedLabel {
  cv::Mat mask;       // 8-bit ink coverage
  cv::Rect text_box;  // where the ink goes in the frame
  cv::Rect plate;     // the text box with padding, inside the frame
  LabelStyle style = LabelStyle::kAuto;
};

Result<PreparedLabel> prepare_label(const LabelFont& font, const ImageLabelOptions& options,
                                    cv::Size frame);

// Draws the label on 8-bit or 16-bit grey, BGR or BGRA pixels in place and returns the
// style used (kAuto resolved from the local background).
Result<LabelStyle> apply_label(cv::Mat& pixels, const PreparedLabel& label);

struct ImageLabelResult {
  cv::Mat pixels;
  cv::Rect text_box;
  LabelStyle style = LabelStyle::kAuto;
};

// A labelled copy of the image; the input is not touched.
Result<ImageLabelResult> label_image(const cv::Mat& pixels, const LabelFont& font,
                                     const ImageLabelOptions& options);

}  // namespace synthgate::labels
