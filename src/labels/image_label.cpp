#include "labels/image_label.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "labels/text_label.hpp"

namespace synthgate::labels {

namespace {

constexpr double kBusyStdDev = 40.0;  // 8-bit grey levels: above, the background is busy
constexpr double kPlateOpacity = 0.85;

struct Colours {
  double ink;    // 0..1 of full scale
  double plate;  // 0..1 of full scale
};

// Full-scale value for the pixel depth.
double full_scale(int depth) {
  return depth == CV_16U ? 65535.0 : 255.0;
}

cv::Mat grey_of(const cv::Mat& region) {
  cv::Mat grey;
  if (region.channels() == 1) {
    grey = region;
  } else if (region.channels() == 3) {
    cv::cvtColor(region, grey, cv::COLOR_BGR2GRAY);
  } else {
    cv::cvtColor(region, grey, cv::COLOR_BGRA2GRAY);
  }
  cv::Mat scaled;
  grey.convertTo(scaled, CV_32F, 255.0 / full_scale(region.depth()));
  return scaled;
}

// out = out * (1 - a) + value * a over every colour channel, a in 0..1 per pixel.
template <typename T>
void blend(cv::Mat& region, const cv::Mat& alpha, double value, int colour_channels) {
  const int channels = region.channels();
  for (int y = 0; y < region.rows; ++y) {
    T* row = region.ptr<T>(y);
    const float* a = alpha.ptr<float>(y);
    for (int x = 0; x < region.cols; ++x) {
      const double w = a[x];
      if (w <= 0.0) continue;
      for (int c = 0; c < colour_channels; ++c) {
        T& p = row[x * channels + c];
        p = cv::saturate_cast<T>(p * (1.0 - w) + value * w);
      }
    }
  }
}

// Raises the alpha channel of BGRA pixels to at least `alpha` (0..1) of full scale.
template <typename T>
void raise_alpha(cv::Mat& region, const cv::Mat& alpha, double scale) {
  for (int y = 0; y < region.rows; ++y) {
    T* row = region.ptr<T>(y);
    const float* a = alpha.ptr<float>(y);
    for (int x = 0; x < region.cols; ++x) {
      T& p = row[x * 4 + 3];
      p = std::max(p, cv::saturate_cast<T>(a[x] * scale));
    }
  }
}

void paint(cv::Mat& region, const cv::Mat& alpha, double value01) {
  const int colour_channels = region.channels() == 4 ? 3 : region.channels();
  const double scale = full_scale(region.depth());
  if (region.depth() == CV_16U) {
    blend<std::uint16_t>(region, alpha, value01 * scale, colour_channels);
    if (region.channels() == 4) raise_alpha<std::uint16_t>(region, alpha, scale);
  } else {
    blend<std::uint8_t>(region, alpha, value01 * scale, colour_channels);
    if (region.channels() == 4) raise_alpha<std::uint8_t>(region, alpha, scale);
  }
}

}  // namespace

Result<ImagePosition> parse_image_position(std::string_view name) {
  for (const auto p :
       {ImagePosition::kBottomRight, ImagePosition::kBottomLeft, ImagePosition::kTopRight,
        ImagePosition::kTopLeft, ImagePosition::kBottom, ImagePosition::kTop}) {
    if (image_position_name(p) == name) return p;
  }
  return fail(ErrorCode::kUsage,
              "position must be bottom-right, bottom-left, top-right, top-left, bottom or top");
}

std::string_view image_position_name(ImagePosition position) {
  switch (position) {
    case ImagePosition::kBottomRight:
      return "bottom-right";
    case ImagePosition::kBottomLeft:
      return "bottom-left";
    case ImagePosition::kTopRight:
      return "top-right";
    case ImagePosition::kTopLeft:
      return "top-left";
    case ImagePosition::kBottom:
      return "bottom";
    case ImagePosition::kTop:
      return "top";
  }
  return "bottom-right";
}

std::string_view label_style_name(LabelStyle style) {
  switch (style) {
    case LabelStyle::kAuto:
      return "auto";
    case LabelStyle::kFill:
      return "fill";
    case LabelStyle::kOutline:
      return "outline";
    case LabelStyle::kPlate:
      return "plate";
  }
  return "auto";
}

Result<PreparedLabel> prepare_label(const LabelFont& font, const ImageLabelOptions& options,
                                    cv::Size frame) {
  if (auto ok = check_wording(options.wording); !ok) return tl::unexpected(ok.error());
  if (options.height_fraction < 0.05 || options.height_fraction > 0.5) {
    return fail(ErrorCode::kInvalidArgument,
                "label height must be 5% to 50% of the shortest side (GB 45438 §5.2)");
  }
  if (frame.width < 1 || frame.height < 1) {
    return fail(ErrorCode::kInvalidArgument, "empty image");
  }
  const int shortest = std::min(frame.width, frame.height);
  const int ink_height =
      std::max(1, static_cast<int>(std::ceil(options.height_fraction * shortest - 1e-9)));
  auto mask = font.render(options.wording, ink_height);
  if (!mask) return tl::unexpected(mask.error());
  const int pad = std::max(1, ink_height / 4);
  const int margin = std::max(0, std::min(ink_height / 2, shortest / 20));
  const int plate_w = mask->cols + 2 * pad;
  const int plate_h = mask->rows + 2 * pad;
  if (plate_w + 2 * margin > frame.width || plate_h + 2 * margin > frame.height) {
    return fail(ErrorCode::kInvalidArgument,
                "the label does not fit in the image at the required height (" +
                    std::to_string(frame.width) + "x" + std::to_string(frame.height) + ")");
  }
  int x = margin;
  int y = margin;
  switch (options.position) {
    case ImagePosition::kBottomRight:
      x = frame.width - margin - plate_w;
      y = frame.height - margin - plate_h;
      break;
    case ImagePosition::kBottomLeft:
      y = frame.height - margin - plate_h;
      break;
    case ImagePosition::kTopRight:
      x = frame.width - margin - plate_w;
      break;
    case ImagePosition::kTopLeft:
      break;
    case ImagePosition::kBottom:
      x = (frame.width - plate_w) / 2;
      y = frame.height - margin - plate_h;
      break;
    case ImagePosition::kTop:
      x = (frame.width - plate_w) / 2;
      break;
  }
  PreparedLabel label;
  label.mask = std::move(*mask);
  label.plate = cv::Rect(x, y, plate_w, plate_h);
  label.text_box = cv::Rect(x + pad, y + pad, label.mask.cols, label.mask.rows);
  label.style = options.style;
  return label;
}

Result<LabelStyle> apply_label(cv::Mat& pixels, const PreparedLabel& label) {
  if (pixels.empty() || (pixels.depth() != CV_8U && pixels.depth() != CV_16U) ||
      pixels.channels() == 2 || pixels.channels() > 4) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "labels are drawn on 8- or 16-bit grey, BGR or BGRA pixels");
  }
  if ((label.plate & cv::Rect(0, 0, pixels.cols, pixels.rows)) != label.plate) {
    return fail(ErrorCode::kInvalidArgument, "the label was prepared for another frame size");
  }
  cv::Mat plate_region = pixels(label.plate);
  cv::Scalar mean;
  cv::Scalar stddev;
  cv::meanStdDev(grey_of(plate_region), mean, stddev);
  LabelStyle style = label.style;
  if (style == LabelStyle::kAuto) {
    style = (stddev[0] > kBusyStdDev || pixels.channels() == 4) ? LabelStyle::kPlate
                                                                : LabelStyle::kFill;
  }
  // Ink contrasting with the background; a plate takes the other extreme.
  Colours colours{mean[0] < 128.0 ? 1.0 : 0.0, mean[0] < 128.0 ? 0.0 : 1.0};
  if (style == LabelStyle::kPlate) colours = {1.0, 0.0};  // white on a dark plate

  cv::Mat ink;
  label.mask.convertTo(ink, CV_32F, 1.0 / 255.0);
  const cv::Rect text_in_plate = label.text_box - label.plate.tl();
  if (style == LabelStyle::kPlate) {
    cv::Mat plate_alpha(plate_region.size(), CV_32F, cv::Scalar(kPlateOpacity));
    paint(plate_region, plate_alpha, colours.plate);
  } else if (style == LabelStyle::kOutline) {
    const int r = std::max(1, label.mask.rows / 12);
    cv::Mat outline_mask;
    cv::Mat padded;
    cv::copyMakeBorder(label.mask, padded, r, r, r, r, cv::BORDER_CONSTANT, cv::Scalar(0));
    cv::dilate(padded, outline_mask,
               cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * r + 1, 2 * r + 1)));
    const cv::Rect outline_box =
        cv::Rect(label.text_box.x - r, label.text_box.y - r, outline_mask.cols, outline_mask.rows) &
        cv::Rect(0, 0, pixels.cols, pixels.rows);
    const cv::Rect inside(outline_box.x - (label.text_box.x - r),
                          outline_box.y - (label.text_box.y - r), outline_box.width,
                          outline_box.height);
    cv::Mat outline_alpha;
    outline_mask(inside).convertTo(outline_alpha, CV_32F, 1.0 / 255.0);
    cv::Mat outline_region = pixels(outline_box);
    paint(outline_region, outline_alpha, 1.0 - colours.ink);
  }
  cv::Mat text_region = plate_region(text_in_plate);
  paint(text_region, ink, colours.ink);
  return style;
}

Result<ImageLabelResult> label_image(const cv::Mat& pixels, const LabelFont& font,
                                     const ImageLabelOptions& options) {
  auto label = prepare_label(font, options, pixels.size());
  if (!label) return tl::unexpected(label.error());
  ImageLabelResult result{pixels.clone(), label->text_box, LabelStyle::kAuto};
  auto style = apply_label(result.pixels, *label);
  if (!style) return tl::unexpected(style.error());
  result.style = *style;
  return result;
}

}  // namespace synthgate::labels
