#include "cli/compliance_samples.hpp"

#include <opencv2/imgproc.hpp>

#include "labels/image_label.hpp"
#include "labels/label_font.hpp"
#include "labels/text_label.hpp"
#include "media/image_codec.hpp"

namespace synthgate::cli {

Result<governance::LabelSamples> make_label_samples(const Config& config) {
  governance::LabelSamples s;
  auto text = labels::label_text("这是模型生成的一段回答示例。 This is a sample answer.",
                                 labels::TextFormat::kPlain, {});
  if (!text) return tl::unexpected(text.error());
  s.text = *text;

  // A stand-in for a generated picture: a gradient with shapes, labelled as outputs are.
  cv::Mat picture(360, 640, CV_8UC3);
  for (int y = 0; y < picture.rows; ++y) {
    for (int x = 0; x < picture.cols; ++x) {
      picture.at<cv::Vec3b>(y, x) =
          cv::Vec3b(static_cast<std::uint8_t>(80 + y / 3), static_cast<std::uint8_t>(60 + x / 5),
                    static_cast<std::uint8_t>(150));
    }
  }
  cv::circle(picture, {220, 170}, 90, {40, 200, 240}, cv::FILLED);
  cv::rectangle(picture, {360, 90}, {560, 260}, {230, 230, 230}, cv::FILLED);
  auto font = labels::LabelFont::load();
  if (!font) return tl::unexpected(font.error());
  auto labelled = labels::label_image(picture, *font, {});
  if (!labelled) return tl::unexpected(labelled.error());
  auto png = media::encode_image(labelled->pixels, media::ImageFormat::kPng);
  if (!png) return tl::unexpected(png.error());
  s.image_png = std::move(*png);
  s.image_caption =
      "图像显式标识样例：右下角“AI生成”，字高为最短边的5% Image label sample: "
      "\"AI生成\" bottom right, text height 5% of the shortest side";
  s.audio =
      "开头插入“短长短短”节奏提示音（或普通话语音“人工智能生成”，每分钟120-160字），响度与节目匹配 "
      "a \"short long short short\" rhythm cue (or the Mandarin voice prompt 人工智能生成 at "
      "120-160 characters per minute) at the start, matched to the programme's loudness.";
  s.video =
      "自首帧起至少2秒显示“AI生成”，字高不小于最短边的5% \"AI生成\" from the first frame for at "
      "least 2 s, text height at least 5% of the shortest side; audio copied unchanged.";
  s.metadata = R"({"AIGC":{"Label":"1","ContentProducer":")" + config.pipeline.producer_code +
               R"(","ProduceID":"<content id>","ReservedCode1":"<Ed25519 signature>",)"
               R"("ContentPropagator":"","PropagateID":"","ReservedCode2":""}})";
  return s;
}

}  // namespace synthgate::cli
