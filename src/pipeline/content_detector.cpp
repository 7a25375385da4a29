#include "pipeline/content_detector.hpp"

#include <algorithm>
#include <array>
#include <fstream>

#include "core/file_io.hpp"
#include "labels/text_label.hpp"
#include "media/animated_webp.hpp"
#include "media/audio_file.hpp"
#include "media/decoded_image.hpp"
#include "media/image_codec.hpp"
#include "media/video_file.hpp"
#include "watermark/image_watermark.hpp"
#include "watermark/video_watermark.hpp"

namespace synthgate::pipeline {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kHeadBytes = 4096;

Result<Bytes> read_head(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return fail(ErrorCode::kNotFound, "cannot read " + path.string() + ": no such file");
  }
  if (!fs::is_regular_file(status)) {
    return fail(ErrorCode::kInvalidArgument, path.string() + " is not a file");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail(ErrorCode::kIo, "cannot read " + path.string());
  Bytes head(kHeadBytes);
  file.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(file.gcount()));
  return head;
}

bool has_nul(ByteView bytes) {
  return std::find(bytes.begin(), bytes.end(), 0) != bytes.end();
}

bool is_one_of(std::string_view format, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), format) != names.end();
}

// Rank of a verdict: the strongest applicable Art. 6 case wins.
int strength(Verdict v) {
  switch (v) {
    case Verdict::kConfirmed:
      return 3;
    case Verdict::kPossible:
      return 2;
    case Verdict::kSuspected:
      return 1;
    case Verdict::kNone:
      return 0;
  }
  return 0;
}

void read_watermark(const fs::path& path, const DetectionKeys& keys, DetectionReport& report) {
  WatermarkFinding& w = report.watermark;
  if (keys.watermark_key == nullptr) {
    w.note = "no watermark key given";
    return;
  }
  auto bytes = read_file(path);
  if (!bytes) {
    w.note = bytes.error().message;
    return;
  }
  auto image = media::decode_image(*bytes);
  if (auto frames = media::webp_frame_count(*bytes); frames && *frames > 1) {
    // An animated WebP: every frame carries the mark; the first is read.
    image = media::decode_first_frame(*bytes).map([](cv::Mat bgra) {
      return media::DecodedImage{media::ImageFormat::kWebp, std::move(bgra)};
    });
  }
  if (!image) {
    // A 16-bit PNG, say: the watermark is embedded in 8-bit pixels only.
    w.note = "not read: " + image.error().message;
    return;
  }
  auto reading = watermark::read_image_watermark(image->pixels, *keys.watermark_key);
  if (!reading) {
    w.note = "not read: " + reading.error().message;
    return;
  }
  w.checked = true;
  w.found = reading->found;
  w.payload = reading->payload;
  w.confidence = reading->confidence;
  w.bit_errors = reading->bit_errors;
}

// Video: the evidence of up to watermark::kDefaultFramesRead frames summed and decoded once.
void read_video_mark(const fs::path& path, const DetectionKeys& keys, DetectionReport& report) {
  WatermarkFinding& w = report.watermark;
  if (keys.watermark_key == nullptr) {
    w.note = "no watermark key given";
    return;
  }
  auto reading = watermark::read_video_watermark(path, *keys.watermark_key);
  if (!reading) {
    w.note = "not read: " + reading.error().message;
    return;
  }
  w.checked = true;
  w.found = reading->reading.found;
  w.payload = reading->reading.payload;
  w.confidence = reading->reading.confidence;
  w.bit_errors = reading->reading.bit_errors;
}

void read_text_label(std::string_view text, labels::TextFormat format, DetectionReport& report) {
  const labels::TextLabelFinding finding = labels::find_text_label(text, format);
  ExplicitLabelFinding& e = report.explicit_label;
  e.checked = true;
  e.found = finding.conforming;
  e.ai_element = finding.ai_element;
  e.generation_element = finding.generation_element;
  e.position = std::string(labels::label_position_name(finding.position));
  e.line = finding.line;
}

// Plain text, Markdown or HTML read whole; nullopt when the file is not UTF-8 text.
std::optional<std::pair<std::string, labels::TextFormat>> read_text(const fs::path& path) {
  auto bytes = read_file(path, kMaxTextBytes);
  if (!bytes) return std::nullopt;
  std::string text(as_chars(*bytes));
  auto format = labels::sniff_text_format(text);
  if (!format) return std::nullopt;
  return std::make_pair(std::move(text), *format);
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kConfirmed:
      return "confirmed";
    case Verdict::kPossible:
      return "possible";
    case Verdict::kSuspected:
      return "suspected";
    case Verdict::kNone:
      return "none";
  }
  return "none";
}

std::optional<std::string> DetectionReport::produce_id() const {
  if (!metadata.record || metadata.record->produce_id.empty()) return std::nullopt;
  return metadata.record->produce_id;
}

std::optional<std::string> DetectionReport::watermark_payload_hex() const {
  if (!watermark.found) return std::nullopt;
  return payload_hex(watermark.payload);
}

// Labeling Measures Art. 6 (a distribution platform's duties):
//   1. the file's metadata (implicit label) says it is AI-generated -> "confirmed";
//   2. no such metadata, but the user declares it AI-generated -> "possible" (may be AI);
//   3. neither, but an explicit label or other traces (here: our watermark) are detected
//      -> "suspected";
//   otherwise "none".
// A metadata label written by an earlier platform under cases 2 or 3 (Label "2" or "3")
// counts as what it says, so a re-upload is never rated above what its label states unless
// a stronger case also applies: the strongest applicable case wins. An altered ReservedCode1
// does not lower case 1 (the label still claims AI generation); it is reported beside it.
Verdict art6_verdict(const std::optional<metadata::AigcRecord>& record, bool declared_ai,
                     bool traces_detected, std::string* reason) {
  Verdict verdict = Verdict::kNone;
  std::string why = "no metadata label, no declaration, no explicit label or watermark";
  const auto consider = [&](Verdict v, std::string text) {
    if (strength(v) > strength(verdict)) {
      verdict = v;
      why = std::move(text);
    }
  };
  if (record) {
    if (record->label == "1") {
      consider(Verdict::kConfirmed, "Art. 6(1): the metadata label says AI-generated (Label 1)");
    } else if (record->label == "2") {
      consider(Verdict::kPossible, "the metadata label says possibly AI-generated (Label 2)");
    } else if (record->label == "3") {
      consider(Verdict::kSuspected, "the metadata label says suspected AI-generated (Label 3)");
    }
  }
  if (declared_ai) {
    consider(Verdict::kPossible,
             "Art. 6(2): the uploader declares it AI-generated; no metadata label says so");
  }
  if (traces_detected) {
    consider(Verdict::kSuspected,
             "Art. 6(3): an explicit label or the watermark was detected; no metadata label "
             "or declaration says AI-generated");
  }
  if (reason != nullptr) *reason = why;
  return verdict;
}

Result<DetectionReport> detect_file(const fs::path& path, const DetectionKeys& keys,
                                    const DetectionInput& input) {
  auto head = read_head(path);
  if (!head) return tl::unexpected(head.error());
  DetectionReport report;
  report.declared_ai = input.declared_ai;
  report.watermark.note = "no watermark reader for this kind of file yet";
  report.explicit_label.note = "no visible-label check for this kind of file yet";

  // The metadata label: streaming readers for large media (only the label's boxes are read).
  auto reading = metadata::read_label_file(path);
  if (reading) {
    report.format = reading->format;
    report.metadata.checked = true;
    report.metadata.record = reading->record;
    report.metadata.count = reading->count;
    if (reading->record && keys.metadata_key != nullptr) {
      auto integrity = metadata::verify_label_file(path, *keys.metadata_key);
      if (!integrity) return tl::unexpected(integrity.error());
      report.metadata.integrity = *integrity;
    }
  } else if (reading.error().code == ErrorCode::kUnsupportedMediaType) {
    report.metadata.note = "no metadata label reader for this format";
  } else {
    return tl::unexpected(reading.error());
  }

  const std::string_view format = report.format;
  if (auto image = media::sniff_image_format(*head)) {
    report.kind = "image";
    if (report.format.empty()) report.format = std::string(media::format_name(*image));
    report.explicit_label.note =
        "the visible label of images is not read (it needs OCR; see docs/detection.md)";
    read_watermark(path, keys, report);
  } else if (is_one_of(format, {"gif", "tiff"})) {
    report.kind = "image";
    report.explicit_label.note =
        "the visible label of images is not read (it needs OCR; see docs/detection.md)";
    report.watermark.note = "the watermark is read from PNG, JPEG, WebP and BMP only";
  } else if (is_one_of(format, {"pdf", "ooxml"})) {
    report.kind = "document";
    report.watermark.note = "documents carry no SynthGate watermark";
    report.explicit_label.note = "the visible label is read from plain text, Markdown and HTML";
  } else if (is_one_of(format, {"wav", "mp3", "flac"})) {
    report.kind = "audio";
    report.watermark.note = "no audio watermark in SynthGate yet (optional under Art. 5)";
    report.explicit_label.note = "the spoken or rhythm cue of audio is not detected yet";
  } else if (auto text = is_one_of(format, {"markdown", "html", ""}) && !has_nul(*head)
                             ? read_text(path)
                             : std::nullopt) {
    report.kind = "text";
    if (report.format.empty()) report.format = std::string(labels::text_format_name(text->second));
    if (!report.metadata.checked) report.metadata.note = "plain text has no metadata label";
    report.watermark.note = "no watermark for text in SynthGate (optional under Art. 5)";
    read_text_label(text->first, text->second, report);
  } else {
    // Audio and video: FFmpeg opens the file only to see whether it has a picture stream.
    media::keep_codec_logs_to_errors();
    const bool video = media::has_video_stream(path);
    if (!video && !is_one_of(format, {"mp4", "matroska", "flv", "ogg"})) {
      return fail(ErrorCode::kUnsupportedMediaType,
                  "unsupported file type (images: PNG, JPEG, WebP, BMP, GIF, TIFF; UTF-8 text, "
                  "Markdown, HTML, PDF, DOCX/XLSX/PPTX; audio: WAV, MP3, FLAC, Ogg, M4A; video: "
                  "MP4/MOV, MKV/WebM, FLV)");
    }
    report.kind = video ? "video" : "audio";
    if (report.format.empty()) report.format = "unknown";
    if (video) {
      read_video_mark(path, keys, report);
    } else {
      report.watermark.note = "no audio watermark in SynthGate yet (optional under Art. 5)";
    }
    report.explicit_label.note = video ? "the visible label of video is not read (it needs OCR)"
                                       : "the spoken or rhythm cue of audio is not detected yet";
  }

  const bool traces = report.watermark.found || report.explicit_label.found;
  report.verdict = art6_verdict(report.metadata.record, input.declared_ai, traces, &report.reason);
  return report;
}

}  // namespace synthgate::pipeline
