#include "pipeline/animation_labeller.hpp"

#include <opencv2/core.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include "labels/image_label.hpp"
#include "media/animated_gif.hpp"
#include "media/animated_webp.hpp"
#include "media/decoded_image.hpp"
#include "watermark/image_watermark.hpp"

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

Result<Bytes> label_animation(const LabelPlan& plan, ByteView in, const ContentId& id,
                              const LabelKeys& keys, LabelOutcome& report) {
  const bool gif = media::is_gif(in);
  report.kind = "image";
  report.format = gif ? "gif" : "webp";
  bool mark = false;
  if (!plan.watermark) {
    report.watermark = skipped("watermark off");
  } else if (gif) {
    report.watermark =
        skipped("no watermark on GIF: a palette frame cannot carry the mark's small pixel changes");
  } else {
    auto first = media::decode_first_frame(in);
    if (!first) return tl::unexpected(first.error());
    if (std::min(first->cols, first->rows) < watermark::kMinEmbedSide) {
      report.watermark = skipped("too small for the watermark (under " +
                                 std::to_string(watermark::kMinEmbedSide) + " pixels a side)");
    } else {
      if (keys.watermark == nullptr) return fail(ErrorCode::kConfig, "no watermark key");
      mark = true;
    }
  }
  const std::uint64_t payload = watermark_payload_of(id);
  int marked_frames = 0;
  labels::ImageLabelOptions options;
  if (plan.text) options.wording = *plan.text;
  if (plan.position) {
    auto position = labels::parse_image_position(*plan.position);
    if (!position) return tl::unexpected(position.error());
    options.position = *position;
  }
  if (!plan.visible && !mark) {
    report.visible = skipped("visible label off");
    return Bytes(in.begin(), in.end());
  }
  std::optional<labels::LabelFont> font;
  if (plan.visible) {
    auto loaded = labels::LabelFont::load();
    if (!loaded) return tl::unexpected(loaded.error());
    font = std::move(*loaded);
  }
  std::optional<labels::PreparedLabel> label;
  int labelled_frames = 0;
  // The watermark after the label, as for still images; a frame too flat to carry it stays
  // unmarked (counted in marked_frames).
  const auto watermark_frame = [&](cv::Mat& bgra) -> Result<cv::Rect> {
    auto marked = watermark::embed_image_watermark(bgra, payload, *keys.watermark);
    if (!marked) {
      if (marked.error().code == ErrorCode::kInvalidArgument)
        return label ? label->plate : cv::Rect();
      return tl::unexpected(marked.error());
    }
    marked->copyTo(bgra);
    ++marked_frames;
    return cv::Rect(0, 0, bgra.cols, bgra.rows);
  };
  const media::FrameEdit edit = [&](cv::Mat& bgra, int) -> Result<cv::Rect> {
    if (!font) return watermark_frame(bgra);
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
    if (mark) return watermark_frame(bgra);
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
  if (mark && marked_frames > 0) {
    report.watermark = {
        {"applied", true}, {"payload", payload_hex(payload)}, {"marked_frames", marked_frames}};
    report.watermark_payload = payload;
  } else if (mark) {
    report.watermark = skipped("no frame could carry the watermark (too flat)");
  }
  if (!plan.visible) {
    report.visible = skipped("visible label off");
    return std::move(edited->bytes);
  }
  const cv::Rect box = label ? label->text_box : cv::Rect();
  // The only pixels changed, unless the watermark marked the frames too.
  const cv::Rect plate = label ? label->plate : cv::Rect();
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
