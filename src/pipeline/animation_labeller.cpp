#include "pipeline/animation_labeller.hpp"

#include <opencv2/core.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include "labels/image_label.hpp"
#include "media/animated_gif.hpp"
#include "media/animated_webp.hpp"

namespace synthgate::pipeline {

namespace {

using nlohmann::ordered_json;

// Draws the label on one BGRA frame, on the plate's pixels only (the label moved to the
// plate's origin); over transparent pixels the plate and ink are made opaque.
Result<labels::LabelStyle> draw_on_frame(cv::Mat& bgra, const labels::PreparedLabel& label) {
  labels::PreparedLabel local = label;
  local.plate -= label.plate.tl();
  local.text_box -= label.plate.tl();
  cv::Mat region = bgra(label.plate);
  return labels::apply_label(region, local);
}

ordered_json skipped(const std::string& why) {
  return {{"applied", false}, {"note", why}};
}

}  // namespace

bool is_animation(ByteView file) {
  if (media::is_gif(file)) return true;
  auto frames = media::webp_frame_count(file);
  return frames && *frames > 1;
}

Result<Bytes> label_animation(const LabelPlan& plan, ByteView in, LabelOutcome& report) {
  const bool gif = media::is_gif(in);
  report.kind = "image";
  report.format = gif ? "gif" : "webp";
  report.watermark = skipped(
      gif ? "no watermark on GIF: a palette frame cannot carry the mark's small pixel changes"
          : "no watermark on animated WebP yet (optional under Art. 5)");
  labels::ImageLabelOptions options;
  if (plan.text) options.wording = *plan.text;
  if (plan.position) {
    auto position = labels::parse_image_position(*plan.position);
    if (!position) return tl::unexpected(position.error());
    options.position = *position;
  }
  if (!plan.visible) {
    report.visible = skipped("visible label off");
    return Bytes(in.begin(), in.end());
  }
  auto font = labels::LabelFont::load();
  if (!font) return tl::unexpected(font.error());
  std::optional<labels::PreparedLabel> label;
  int labelled_frames = 0;
  const media::FrameEdit edit = [&](cv::Mat& bgra, int) -> Result<cv::Rect> {
    if (!label) {
      auto prepared = labels::prepare_label(*font, options, bgra.size());
      if (!prepared) return tl::unexpected(prepared.error());
      label = std::move(*prepared);
      // One style for every frame. A solid fill takes its ink from the background under it,
      // which changes from frame to frame (the ink would flip between black and white); the
      // plate is legible on any frame and looks the same on all of them.
      if (label->style == labels::LabelStyle::kAuto) label->style = labels::LabelStyle::kPlate;
    }
    auto style = draw_on_frame(bgra, *label);
    if (!style) return tl::unexpected(style.error());
    ++labelled_frames;
    return label->plate;
  };
  auto edited = gif ? media::edit_gif(in, edit) : media::edit_webp(in, edit);
  if (!edited) return tl::unexpected(edited.error());
  const media::AnimationInfo& info = edited->info;
  report.kept = {{"frames", info.frames},
                 {"loop_count", info.loop_count},
                 {"delays_ms", info.delays_ms},
                 {"encoding", info.encoding}};
  if (!gif && info.encoding != "lossless") report.kept["lossy_quality"] = media::kWebpLossyQuality;
  const cv::Rect box = label ? label->text_box : cv::Rect();
  const cv::Rect plate = label ? label->plate : cv::Rect();  // the only pixels changed
  report.visible = {{"applied", true},
                    {"text", options.wording},
                    {"position", labels::image_position_name(options.position)},
                    {"style", labels::label_style_name(label ? label->style : options.style)},
                    {"text_height", box.height},
                    {"shortest_side", std::min(info.width, info.height)},
                    {"box", {box.x, box.y, box.width, box.height}},
                    {"plate", {plate.x, plate.y, plate.width, plate.height}},
                    {"frames", info.frames},
                    {"labelled_frames", labelled_frames}};
  return std::move(edited->bytes);
}

}  // namespace synthgate::pipeline
