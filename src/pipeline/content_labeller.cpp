// The whole labelling of one output file, in DESIGN.md's order: visible label (src/labels),
// invisible watermark (src/watermark, images and video), metadata label (src/metadata, every format
// it writes). A step that does not apply to the file's type is skipped with a note.
#include "pipeline/content_labeller.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/file_io.hpp"
#include "core/staged_file.hpp"
#include "labels/audio_label.hpp"
#include "labels/image_label.hpp"
#include "labels/streamed_audio_label.hpp"
#include "labels/text_label.hpp"
#include "labels/video_label.hpp"
#include "labels/voice_prompt.hpp"
#include "media/animated_gif.hpp"
#include "media/animated_webp.hpp"
#include "media/audio_file.hpp"
#include "media/deep_png.hpp"
#include "media/image_codec.hpp"
#include "media/jpeg_quality.hpp"
#include "media/video_file.hpp"
#include "metadata/format_handler.hpp"
#include "metadata/implicit_label.hpp"
#include "pipeline/animation_labeller.hpp"
#include "watermark/image_watermark.hpp"
#include "watermark/video_watermark.hpp"

namespace synthgate::pipeline {

namespace {

using nlohmann::ordered_json;
using LabelOptions = LabelPlan;
using LabelReport = LabelOutcome;

ordered_json skipped(const std::string& why) {
  return {{"applied", false}, {"note", why}};
}

// Writes the labelled pixels with the source's settings where they can be read back: a JPEG's
// quality (estimated from its luminance table, clamped to 50..98) and chroma subsampling, a
// WebP's lossless or lossy compression; PNG and BMP keep their channels at 8 bits.
Result<Bytes> encode_keeping_settings(ByteView in, const cv::Mat& pixels, media::ImageFormat format,
                                      LabelOutcome& report) {
  if (format == media::ImageFormat::kJpeg) {
    if (auto settings = media::read_jpeg_settings(in)) {
      const int estimated = settings->quality;
      settings->quality = std::clamp(estimated, 50, 98);
      report.kept = {{"quality", settings->quality},
                     {"estimated_quality", estimated},
                     {"standard_tables", settings->exact_table},
                     {"subsampling", settings->subsampling}};
      return media::encode_jpeg(pixels, *settings);
    }
    report.kept = {{"note", "quality not readable from the file: written at 95"}};
    return media::encode_image(pixels, format);
  }
  if (format == media::ImageFormat::kWebp) {
    const bool lossless = media::webp_is_lossless(in).value_or(true);
    report.kept = {{"encoding", lossless ? "lossless" : "lossy"}};
    if (lossless) return media::encode_image(pixels, format);
    const int quality = static_cast<int>(media::kWebpLossyQuality);
    report.kept["lossy_quality"] = quality;
    return media::encode_image(pixels, format, quality);
  }
  report.kept = {{"bit_depth", 8}, {"channels", pixels.channels()}};
  return media::encode_image(pixels, format);
}

Result<Bytes> label_image_file(const LabelPlan& opts, ByteView in, const ContentId& id,
                               const LabelKeys& keys, LabelOutcome& report) {
  if (is_animation(in)) return label_animation(opts, in, id, keys, report);
  auto image = media::decode_image(in);
  // A 16-bit PNG keeps its depth: decoded, labelled and written at 16 bits.
  const bool deep = !image && image.error().code == ErrorCode::kUnsupportedMediaType &&
                    media::decode_png16(in).has_value();
  if (deep) image = media::DecodedImage{media::ImageFormat::kPng, *media::decode_png16(in)};
  if (!image) return tl::unexpected(image.error());
  report.kind = "image";
  report.format = std::string(media::format_name(image->format)) + (deep ? "16" : "");
  cv::Mat pixels = image->pixels;
  if (!opts.visible) {
    report.visible = skipped("visible label off");
  } else {
    labels::ImageLabelOptions options;
    if (opts.text) options.wording = *opts.text;
    if (opts.position) {
      auto position = labels::parse_image_position(*opts.position);
      if (!position) return tl::unexpected(position.error());
      options.position = *position;
    }
    auto font = labels::LabelFont::load();
    if (!font) return tl::unexpected(font.error());
    auto labelled = labels::label_image(pixels, *font, options);
    if (!labelled) return tl::unexpected(labelled.error());
    pixels = std::move(labelled->pixels);
    const cv::Rect box = labelled->text_box;
    report.visible = {{"applied", true},
                      {"text", options.wording},
                      {"position", labels::image_position_name(options.position)},
                      {"style", labels::label_style_name(labelled->style)},
                      {"text_height", box.height},
                      {"shortest_side", std::min(pixels.cols, pixels.rows)},
                      {"box", {box.x, box.y, box.width, box.height}}};
  }
  if (!opts.watermark) {
    report.watermark = skipped("watermark off");
  } else if (deep) {
    report.watermark = skipped(
        "the watermark embeds 8-bit pixels; a 16-bit PNG keeps its depth and goes unmarked");
  } else {
    if (keys.watermark == nullptr) return fail(ErrorCode::kConfig, "no watermark key");
    const std::uint64_t payload = watermark_payload_of(id);
    auto marked = watermark::embed_image_watermark(pixels, payload, *keys.watermark);
    if (!marked) return tl::unexpected(marked.error());
    pixels = std::move(*marked);
    report.watermark = {{"applied", true}, {"payload", payload_hex(payload)}};
    report.watermark_payload = payload;
  }
  if (deep) {
    report.kept = {{"bit_depth", 16}, {"channels", pixels.channels()}};
    return media::encode_png16(pixels);
  }
  return encode_keeping_settings(in, pixels, image->format, report);
}

Result<Bytes> label_text_file(const LabelPlan& opts, ByteView in, LabelOutcome& report) {
  const std::string_view text = as_chars(in);
  auto format = labels::sniff_text_format(text);
  if (!format) return tl::unexpected(format.error());
  report.kind = "text";
  report.format = std::string(labels::text_format_name(*format));
  report.watermark = skipped("no watermark for text in SynthGate yet (optional under Art. 5)");
  if (!opts.visible) {
    report.visible = skipped("visible label off");
    return Bytes(in.begin(), in.end());
  }
  labels::TextLabelOptions options;
  if (opts.text) options.wording = *opts.text;
  if (opts.position) {
    if (*opts.position == "start") {
      options.placement = labels::TextPlacement::kStart;
    } else if (*opts.position == "end") {
      options.placement = labels::TextPlacement::kEnd;
    } else if (*opts.position == "both") {
      options.placement = labels::TextPlacement::kBoth;
    } else {
      return fail(ErrorCode::kUsage, "for text, --position is start, end or both");
    }
  }
  auto labelled = labels::label_text(text, *format, options);
  if (!labelled) return tl::unexpected(labelled.error());
  const char* placement = options.placement == labels::TextPlacement::kStart ? "start"
                          : options.placement == labels::TextPlacement::kEnd ? "end"
                                                                             : "both";
  report.visible = {{"applied", true}, {"text", options.wording}, {"position", placement}};
  const auto bytes = as_bytes(*labelled);
  return Bytes(bytes.begin(), bytes.end());
}

Result<std::vector<labels::AudioSpot>> parse_audio_spots(const std::string& text,
                                                         std::string_view flag = "--position") {
  std::vector<labels::AudioSpot> spots;
  std::stringstream list(text);
  std::string item;
  while (std::getline(list, item, ',')) {
    if (item == "start") {
      spots.push_back(labels::AudioSpot::kStart);
    } else if (item == "middle") {
      spots.push_back(labels::AudioSpot::kMiddle);
    } else if (item == "end") {
      spots.push_back(labels::AudioSpot::kEnd);
    } else {
      return fail(ErrorCode::kUsage,
                  "for audio, " + std::string(flag) + " is a comma list of start, middle and end");
    }
  }
  if (spots.empty()) return fail(ErrorCode::kUsage, std::string(flag) + " is empty");
  return spots;
}

// The cue at the programme's level: the rhythm tones, a provider's clip or espeak-ng's voice.
Result<std::vector<float>> audio_cue(const LabelPlan& opts, double level, int rate) {
  if (opts.audio_cue == "rhythm") return labels::rhythm_cue_samples({}, rate, level);
  if (opts.voice_clip) {
    auto clip = media::decode_audio_file(*opts.voice_clip, 60.0);
    if (!clip) return tl::unexpected(with_context(clip.error(), opts.voice_clip->string()));
    return labels::fit_voice_clip(clip->channels.front(), clip->format.sample_rate, rate, level);
  }
  auto voice = labels::speak_mandarin(opts.text ? *opts.text : labels::kDefaultVoiceWording);
  if (!voice) return tl::unexpected(voice.error());
  return labels::fit_voice_clip(voice->samples, voice->sample_rate, rate, level);
}

Status copy_into(const std::filesystem::path& in, const StagedFile& temp) {
  std::error_code ec;
  std::filesystem::copy_file(in, temp.path(), std::filesystem::copy_options::overwrite_existing,
                             ec);
  if (ec) return fail(ErrorCode::kIo, "cannot copy " + in.string() + ": " + ec.message());
  return {};
}

Result<Bytes> label_audio_file(const std::filesystem::path& in, const LabelPlan& opts,
                               LabelOutcome& report, const StagedFile& temp,
                               const LabelProgress& progress) {
  media::keep_codec_logs_to_errors();
  auto audio = media::decode_audio_file(in);
  if (!audio) return tl::unexpected(audio.error());
  report.kind = "audio";
  report.format = audio->format.container + "/" + audio->format.codec;
  report.watermark = skipped("no audio watermark in SynthGate yet (optional under Art. 5)");
  if (!opts.visible) {
    report.visible = skipped("visible label off");
    if (auto ok = copy_into(in, temp); !ok) return tl::unexpected(ok.error());
    return Bytes{};
  }
  if (opts.audio_cue != "rhythm" && opts.audio_cue != "voice") {
    return fail(ErrorCode::kUsage, "--audio-cue is rhythm or voice");
  }
  if (opts.audio_mode != "insert" && opts.audio_mode != "mix") {
    return fail(ErrorCode::kUsage, "--audio-mode is insert or mix");
  }
  labels::AudioLabelOptions options;
  options.mode = opts.audio_mode == "mix" ? labels::AudioMode::kMix : labels::AudioMode::kInsert;
  if (opts.position) {
    auto spots = parse_audio_spots(*opts.position);
    if (!spots) return tl::unexpected(spots.error());
    options.spots = *spots;
  } else if (opts.audio_position) {
    // The cue's place has one name for audio files and videos' sound tracks alike.
    auto spots = parse_audio_spots(*opts.audio_position, "--audio-position");
    if (!spots) return tl::unexpected(spots.error());
    options.spots = *spots;
  }
  auto cue = audio_cue(opts, labels::cue_level_rms(audio->channels, audio->format.sample_rate),
                       audio->format.sample_rate);
  if (!cue) return tl::unexpected(cue.error());
  auto labelled = labels::label_audio(audio->channels, audio->format.sample_rate, *cue, options);
  if (!labelled) return tl::unexpected(labelled.error());
  std::vector<double> starts;
  for (const auto s : labelled->cue_starts) {
    starts.push_back(static_cast<double>(s) / audio->format.sample_rate);
  }
  media::DecodedAudio out{audio->format, std::move(labelled->channels)};
  const double seconds = out.seconds();
  auto step = [&](double fraction) {
    if (progress) progress("encoding", fraction, seconds);
  };
  if (auto ok = media::encode_audio_file(out, temp.path(), step); !ok) {
    return tl::unexpected(ok.error());
  }
  report.visible = {{"applied", true},
                    {"cue", opts.audio_cue},
                    {"mode", opts.audio_mode},
                    {"cue_seconds", static_cast<double>(cue->size()) / audio->format.sample_rate},
                    {"cue_starts", starts},
                    {"sample_rate", audio->format.sample_rate},
                    {"channels", audio->format.channels}};
  return Bytes{};
}

// The audio label on a video's sound track: the editor that mixes the cue in during the
// video's own pass, and what it did for the report (`visible.audio_label`).
struct SoundTrackLabel {
  media::SoundTrackEditor editor;  // empty: the track is copied untouched
  ordered_json report;
};

// The loudness rule needs the programme's gated RMS and the middle and end cues its length
// before the first block is written: a first pass decodes the audio only (cheap next to the
// picture), holding one block at a time.
Result<SoundTrackLabel> sound_track_label(const std::filesystem::path& in, const LabelPlan& opts,
                                          const LabelProgress& progress) {
  SoundTrackLabel label;
  // The cue is part of the visible (explicit) label: off with it.
  if (!opts.visible || !opts.sound_track_label) {
    label.report = skipped("not asked for (--audio-cue): the sound track is copied untouched");
    return label;
  }
  if (!media::media_stream_kinds(in).audio) {
    label.report = skipped("the video has no sound track");
    return label;
  }
  std::vector<labels::AudioSpot> spots{labels::AudioSpot::kStart};
  if (opts.audio_position) {
    auto parsed = parse_audio_spots(*opts.audio_position, "--audio-position");
    if (!parsed) return tl::unexpected(parsed.error());
    spots = *parsed;
  }
  std::optional<labels::GatedLoudness> loudness;
  double seen_seconds = 0;
  auto measured = media::read_audio_stream(
      in,
      [&](const media::AudioFormat& format, std::int64_t first,
          const labels::Channels& block) -> Status {
        if (!loudness) loudness.emplace(format.sample_rate);
        loudness->add(block);
        seen_seconds = static_cast<double>(first) / format.sample_rate;
        return {};
      },
      [&](double fraction) {
        // The bar's length test goes by the audio seen so far: the pass is quick.
        if (progress) progress("measuring the sound track", fraction, seen_seconds);
      });
  if (!measured) return tl::unexpected(measured.error());
  const media::AudioFormat& format = measured->format;
  const double level = loudness->cue_level_rms();
  auto cue = audio_cue(opts, level, format.sample_rate);
  if (!cue) return tl::unexpected(cue.error());
  const double cue_seconds = static_cast<double>(cue->size()) / format.sample_rate;
  auto mixed = std::make_shared<const labels::MixedCue>(
      std::move(*cue), spots, static_cast<std::size_t>(measured->samples));
  label.editor.edit = [mixed](std::int64_t first, labels::Channels& block) -> Status {
    mixed->apply(first, block);
    return {};
  };
  label.editor.bit_rate = format.bit_rate;
  std::vector<double> starts;
  for (const std::size_t s : mixed->starts()) {
    starts.push_back(static_cast<double>(s) / format.sample_rate);
  }
  label.report = {{"applied", true},
                  {"cue", opts.audio_cue},
                  {"mode", "mix"},
                  {"cue_seconds", cue_seconds},
                  {"cue_starts", starts},
                  {"level_dbfs", 20.0 * std::log10(level)},
                  {"codec", format.codec},
                  {"sample_rate", format.sample_rate},
                  {"channels", format.channels}};
  std::vector<std::string> notes;
  if (opts.audio_mode == "insert") {
    notes.emplace_back(
        "mixed over the sound track, not inserted: an inserted cue would put the sound out of "
        "sync with the picture");
  }
  if (cue_seconds > measured->seconds()) {
    notes.emplace_back("the sound track is shorter than the cue: the cue is cut at its end");
  }
  if (!notes.empty()) {
    std::string note = notes.front();
    for (std::size_t i = 1; i < notes.size(); ++i) note += "; " + notes[i];
    label.report["note"] = note;
  }
  return label;
}

// The visible label and the watermark in one re-encode: the frames that show the label go
// through BGR (label drawn, then marked); the others are marked on their luma alone.
Result<Bytes> label_video_file(const std::filesystem::path& in, const LabelPlan& opts,
                               const ContentId& id, const LabelKeys& keys, LabelOutcome& report,
                               const StagedFile& temp, const LabelProgress& progress) {
  report.kind = "video";
  if (!opts.visible) report.visible = skipped("visible label off");
  if (!opts.watermark) report.watermark = skipped("watermark off");
  if (!opts.visible && !opts.watermark) {
    if (auto ok = copy_into(in, temp); !ok) return tl::unexpected(ok.error());
    return Bytes{};
  }
  labels::VideoLabelTiming timing;
  timing.seconds = opts.label_seconds;
  if (opts.position) {
    auto span = labels::parse_video_span(*opts.position);
    if (!span) return tl::unexpected(span.error());
    timing.span = *span;
  }
  if (auto ok = labels::check_timing(timing); !ok) return tl::unexpected(ok.error());
  auto sound = sound_track_label(in, opts, progress);
  if (!sound) return tl::unexpected(sound.error());
  labels::ImageLabelOptions image_options;
  if (opts.text) image_options.wording = *opts.text;
  auto font = labels::LabelFont::load();
  if (!font) return tl::unexpected(font.error());
  const std::uint64_t payload = watermark_payload_of(id);
  std::optional<watermark::VideoFrameMarker> marker;
  if (opts.watermark) {
    if (keys.watermark == nullptr) return fail(ErrorCode::kConfig, "no watermark key");
    marker.emplace(payload, *keys.watermark);
  }
  std::optional<std::string> unmarked;  // why the watermark was left out, if it was
  std::optional<labels::PreparedLabel> label;
  Status prepared;
  media::keep_codec_logs_to_errors();
  ::setenv("SVT_LOG", "1", 0);  // SVT-AV1 logs on its own: errors only, unless the user says
  double seconds = 0;
  bool showing = false;  // whether the frame at hand shows the visible label
  std::int64_t labelled_frames = 0;
  media::FrameEditor editor;
  editor.wants = [&](double t, const media::VideoInfo& info) {
    if (info.frames == 0) {
      seconds = info.duration_seconds;
      if (opts.visible) {
        auto made = labels::prepare_label(*font, image_options, {info.width, info.height});
        if (made) {
          label = std::move(*made);
        } else {
          prepared = tl::unexpected(made.error());
        }
      }
      // A clip too small for the mark still gets its visible and metadata labels.
      if (marker && std::min(info.width, info.height) < watermark::kMinEmbedSide) {
        unmarked = "video too small to carry the watermark: each side needs at least " +
                   std::to_string(watermark::kMinEmbedSide) + " pixels";
        marker.reset();
      }
    }
    showing = opts.visible && labels::video_label_shown(timing, t, info.duration_seconds);
    return showing || marker.has_value();
  };
  editor.wants_bgr = [&](double, const media::VideoInfo&) { return showing; };
  editor.edit = [&](cv::Mat& bgr) -> Status {
    if (!prepared) return prepared;
    if (showing) {
      auto style = labels::apply_label(bgr, *label);
      if (!style) return tl::unexpected(style.error());
      ++labelled_frames;
    }
    return marker ? marker->mark(bgr) : Status{};
  };
  editor.edit_luma = [&](cv::Mat& luma) { return marker ? marker->mark(luma) : Status{}; };
  const media::VideoEncodeSettings settings{opts.crf, opts.preset, 0};
  auto step = [&](double fraction) {
    if (progress) progress("labelling video", fraction, seconds);
  };
  auto info = media::edit_video_file(in, temp.path(), settings, editor, step, sound->editor);
  if (!info) return tl::unexpected(info.error());
  if (!prepared) return tl::unexpected(prepared.error());
  report.format = info->container + "/" + info->codec;
  if (opts.visible) {
    const char* span = timing.span == labels::VideoSpan::kStart    ? "start"
                       : timing.span == labels::VideoSpan::kMiddle ? "middle"
                       : timing.span == labels::VideoSpan::kEnd    ? "end"
                                                                   : "whole";
    report.visible = {{"applied", true},
                      {"text", image_options.wording},
                      {"position", span},
                      {"seconds", timing.seconds},
                      {"frames", info->frames},
                      {"labelled_frames", labelled_frames},
                      {"text_height", label ? label->text_box.height : 0},
                      {"shortest_side", std::min(info->width, info->height)},
                      {"audio_label", std::move(sound->report)}};
  }
  if (marker) {
    // A clip of black or faded frames only cannot hide the mark: the other labels still hold.
    if (auto ok = marker->finish(); !ok) unmarked = ok.error().message;
  }
  if (unmarked) {
    report.watermark = skipped(*unmarked);
  } else if (marker) {
    report.watermark = {{"applied", true},
                        {"payload", payload_hex(payload)},
                        {"marked_frames", marker->marked_frames()},
                        {"flat_frames", marker->flat_frames()}};
    report.watermark_payload = payload;
  }
  return Bytes{};
}

// The producer's record for this content (ProduceID = the content id), its ReservedCode1
// signed by `sign` over the file it goes into.
using SignFile =
    std::function<Result<std::string>(const metadata::AigcRecord&, const Ed25519SigningKey&)>;
Result<metadata::AigcRecord> signed_record(const LabelPlan& opts, const ContentId& id,
                                           const LabelKeys& keys, const SignFile& sign,
                                           std::vector<std::string>& warnings) {
  if (opts.producer.empty()) {
    return fail(ErrorCode::kUsage,
                "no producer code for the metadata label (give --producer CODE or --no-metadata; "
                "the gateway: pipeline.producer_code)");
  }
  if (keys.metadata_signing == nullptr) return fail(ErrorCode::kConfig, "no metadata signing key");
  metadata::AigcRecord record;
  record.label = "1";
  record.content_producer = opts.producer;
  record.produce_id = id.to_string();
  auto signature = sign(record, *keys.metadata_signing);
  if (!signature) return tl::unexpected(signature.error());
  record.reserved_code1 = *signature;
  const metadata::RecordFindings findings = metadata::check_record(record);
  if (!findings.ok()) return fail(ErrorCode::kInvalidArgument, findings.errors.front());
  warnings = findings.warnings;
  return record;
}

ordered_json applied_metadata(const metadata::AigcRecord& record,
                              const std::vector<std::string>& warnings) {
  return {
      {"applied", true}, {"aigc", ordered_json::parse(record.to_json())}, {"warnings", warnings}};
}

// The metadata label where src/metadata writes the format (the type read from the bytes);
// a note otherwise (plain text, BMP).
Result<Bytes> add_metadata(const LabelPlan& opts, Bytes file, const ContentId& id,
                           const LabelKeys& keys, LabelOutcome& report) {
  if (!opts.metadata) {
    report.metadata = skipped("metadata label off");
    return file;
  }
  if (auto handler = metadata::handler_for(file); !handler) {
    report.metadata = skipped("no metadata label: " + handler.error().message);
    return file;
  }
  std::vector<std::string> warnings;
  auto record = signed_record(
      opts, id, keys,
      [&file](const metadata::AigcRecord& r, const Ed25519SigningKey& k) {
        return metadata::producer_signature(file, r, k);
      },
      warnings);
  if (!record) return tl::unexpected(record.error());
  auto labelled = metadata::write_label(file, *record);
  if (!labelled) return tl::unexpected(labelled.error());
  report.metadata = applied_metadata(*record, warnings);
  report.record = *record;
  return labelled;
}

// Audio and video: the labelled media in `temp` goes to OUT through the streaming metadata
// writer (or is renamed there as it is, when no metadata label applies).
Status finish_media(const LabelPlan& opts, StagedFile& temp, const std::filesystem::path& out,
                    const ContentId& id, const LabelKeys& keys, LabelOutcome& report) {
  if (!opts.metadata) {
    report.metadata = skipped("metadata label off");
    return temp.commit(out);
  }
  if (auto reading = metadata::read_label_file(temp.path()); !reading) {
    if (reading.error().code != ErrorCode::kUnsupportedMediaType) {
      return tl::unexpected(reading.error());
    }
    report.metadata = skipped("no metadata label: " + reading.error().message);
    return temp.commit(out);
  }
  std::vector<std::string> warnings;
  auto record = signed_record(
      opts, id, keys,
      [&temp](const metadata::AigcRecord& r, const Ed25519SigningKey& k) {
        return metadata::producer_signature_file(temp.path(), r, k);
      },
      warnings);
  if (!record) return tl::unexpected(record.error());
  if (auto ok = metadata::write_label_file(temp.path(), out, *record); !ok) return ok;
  report.metadata = applied_metadata(*record, warnings);
  report.record = *record;
  return {};
}

Result<Bytes> read_head(const std::filesystem::path& path, std::size_t n) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail(ErrorCode::kIo, "cannot read " + path.string());
  Bytes head(n);
  file.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(n));
  head.resize(static_cast<std::size_t>(file.gcount()));
  return head;
}

}  // namespace

std::vector<std::string> LabelOutcome::applied() const {
  std::vector<std::string> out;
  const auto on = [](const ordered_json& step) { return step.value("applied", false); };
  if (on(visible)) out.emplace_back("visible");
  if (on(watermark)) out.emplace_back("watermark");
  if (on(metadata)) out.emplace_back("metadata");
  return out;
}

Result<std::string> content_kind_of(const std::filesystem::path& path) {
  auto head = read_head(path, 4096);
  if (!head) return tl::unexpected(head.error());
  if (media::sniff_image_format(*head) || media::is_gif(*head)) return std::string("image");
  if (std::find(head->begin(), head->end(), 0) == head->end()) {
    auto whole = read_file(path);
    if (!whole) return tl::unexpected(whole.error());
    if (labels::sniff_text_format(as_chars(*whole))) return std::string("text");
  }
  media::keep_codec_logs_to_errors();
  const media::StreamKinds kinds = media::media_stream_kinds(path);
  if (kinds.video) return std::string("video");
  if (kinds.audio) return std::string("audio");
  return fail(ErrorCode::kUnsupportedMediaType,
              "not an image, text, audio or video file SynthGate reads");
}

Status check_plan(const LabelPlan& plan) {
  if (plan.text) {
    if (auto ok = labels::check_wording(*plan.text); !ok) return ok;
  }
  if (plan.audio_cue != "rhythm" && plan.audio_cue != "voice") {
    return fail(ErrorCode::kUsage, "the audio cue is rhythm or voice");
  }
  if (plan.audio_mode != "insert" && plan.audio_mode != "mix") {
    return fail(ErrorCode::kUsage, "the audio mode is insert or mix");
  }
  if (plan.audio_position) {
    if (auto spots = parse_audio_spots(*plan.audio_position, "--audio-position"); !spots) {
      return tl::unexpected(spots.error());
    }
  }
  return {};
}

Result<LabelOutcome> label_file(const std::filesystem::path& in, const std::filesystem::path& out,
                                const ContentId& id, const LabelPlan& plan, const LabelKeys& keys,
                                const LabelProgress& progress) {
  if (auto ok = check_output_path(out); !ok) return tl::unexpected(ok.error());
  if (same_file(in, out)) {
    return fail(ErrorCode::kUsage, "OUT must not be IN: the input is never modified");
  }
  if (auto ok = check_plan(plan); !ok) return tl::unexpected(ok.error());
  // The first bytes decide: images and text are read whole, media are streamed from the file.
  auto head = read_head(in, 4096);
  if (!head) return tl::unexpected(head.error());
  const bool image = media::sniff_image_format(*head).has_value() || media::is_gif(*head);
  const bool maybe_text = std::find(head->begin(), head->end(), 0) == head->end();
  Result<Bytes> whole = Bytes{};
  if (image || maybe_text) {
    whole = read_file(in);
    if (!whole) return tl::unexpected(whole.error());
  }

  LabelOutcome outcome;
  std::optional<StagedFile> media_temp;  // where FFmpeg writes audio and video
  Result<Bytes> labelled = fail(ErrorCode::kUnsupportedMediaType, "unsupported file type");
  if (image) {
    labelled = label_image_file(plan, *whole, id, keys, outcome);
  } else {
    if (maybe_text) labelled = label_text_file(plan, *whole, outcome);
    if (!labelled && labelled.error().code == ErrorCode::kUnsupportedMediaType) {
      media::keep_codec_logs_to_errors();
      media_temp.emplace(out);
      if (!media_temp->ok()) return fail(ErrorCode::kIo, "cannot make a temporary file");
      labelled = media::has_video_stream(in)
                     ? label_video_file(in, plan, id, keys, outcome, *media_temp, progress)
                     : label_audio_file(in, plan, outcome, *media_temp, progress);
    }
    if (!labelled && labelled.error().code == ErrorCode::kUnsupportedMediaType) {
      labelled = fail(ErrorCode::kUnsupportedMediaType,
                      "unsupported file type (images: PNG, JPEG, WebP, GIF, TIFF, BMP; UTF-8 "
                      "text, Markdown, HTML; audio and video that FFmpeg reads)");
    }
  }
  if (!labelled) return tl::unexpected(labelled.error());
  if (media_temp) {
    if (auto ok = finish_media(plan, *media_temp, out, id, keys, outcome); !ok) {
      return tl::unexpected(ok.error());
    }
    return outcome;
  }
  auto finished = add_metadata(plan, std::move(*labelled), id, keys, outcome);
  if (!finished) return tl::unexpected(finished.error());
  if (auto ok = write_file_atomically(out, *finished); !ok) return tl::unexpected(ok.error());
  return outcome;
}

}  // namespace synthgate::pipeline
