// synthgate label IN OUT: the whole labelling of one output file, in the order of DESIGN.md:
// visible label (src/labels) -> invisible watermark (src/watermark, images) -> metadata label
// (src/metadata, the formats it writes). A step that does not apply to the file's type is
// skipped with a note in the --json output; a refused input leaves nothing behind.
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>

#include "cli/command.hpp"
#include "cli/runtime_setup.hpp"
#include "core/clock.hpp"
#include "core/file_io.hpp"
#include "core/ids.hpp"
#include "core/key_set.hpp"
#include "core/secure_random.hpp"
#include "labels/audio_label.hpp"
#include "labels/image_label.hpp"
#include "labels/text_label.hpp"
#include "labels/video_label.hpp"
#include "labels/voice_prompt.hpp"
#include "media/audio_file.hpp"
#include "media/deep_png.hpp"
#include "media/image_codec.hpp"
#include "media/video_file.hpp"
#include "metadata/format_handler.hpp"
#include "metadata/implicit_label.hpp"
#include "watermark/image_watermark.hpp"

namespace synthgate::cli {

namespace {

using nlohmann::ordered_json;

struct LabelOptions {
  std::string in, out;
  std::string producer;
  std::optional<std::string> content_id;
  std::optional<std::string> text;
  std::optional<std::string> position;
  bool no_visible = false;
  bool no_watermark = false;
  bool no_metadata = false;
  std::optional<std::string> key_file;
  std::optional<std::string> config_file;
  std::string audio_cue = "rhythm";
  std::optional<std::string> voice_clip;
  std::string audio_mode = "insert";
  double label_seconds = 2.0;
  int crf = -1;
  std::string preset;
  bool json = false;
};

// What one run did, step by step, for the report.
struct LabelReport {
  std::string kind;    // image, text
  std::string format;  // png, jpeg, markdown, ...
  ordered_json visible = ordered_json::object();
  ordered_json watermark = ordered_json::object();
  ordered_json metadata = ordered_json::object();
  bool written = false;  // OUT already in place (streamed media)
};

ordered_json skipped(const std::string& why) {
  return {{"applied", false}, {"note", why}};
}

// The watermark carries 64 bits of the content id: the last eight bytes of its UUIDv7,
// which hold its random part (the first eight are mostly the creation time).
std::uint64_t watermark_payload(const ContentId& id) {
  std::uint64_t value = 0;
  for (std::size_t i = 8; i < 16; ++i) value = (value << 8) | id.uuid.bytes[i];
  return value;
}

std::string payload_hex(std::uint64_t payload) {
  Bytes bytes;
  for (int i = 7; i >= 0; --i) bytes.push_back(static_cast<std::uint8_t>(payload >> (8 * i)));
  return hex_encode(bytes);
}

Result<Bytes> label_image_file(const LabelOptions& opts, ByteView in, const ContentId& id,
                               const KeySet* keys, LabelReport& report) {
  auto image = media::decode_image(in);
  // A 16-bit PNG keeps its depth: decoded, labelled and written at 16 bits.
  const bool deep = !image && image.error().code == ErrorCode::kUnsupportedMediaType &&
                    media::decode_png16(in).has_value();
  if (deep) image = media::DecodedImage{media::ImageFormat::kPng, *media::decode_png16(in)};
  if (!image) return tl::unexpected(image.error());
  report.kind = "image";
  report.format = std::string(media::format_name(image->format)) + (deep ? "16" : "");
  cv::Mat pixels = image->pixels;
  if (opts.no_visible) {
    report.visible = skipped("--no-visible");
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
  if (opts.no_watermark) {
    report.watermark = skipped("--no-watermark");
  } else if (deep) {
    report.watermark = skipped(
        "the watermark embeds 8-bit pixels; a 16-bit PNG keeps its depth and goes unmarked");
  } else {
    const std::uint64_t payload = watermark_payload(id);
    auto marked = watermark::embed_image_watermark(pixels, payload, keys->watermark);
    if (!marked) return tl::unexpected(marked.error());
    pixels = std::move(*marked);
    report.watermark = {{"applied", true}, {"payload", payload_hex(payload)}};
  }
  return deep ? media::encode_png16(pixels) : media::encode_image(pixels, image->format);
}

Result<Bytes> label_text_file(const LabelOptions& opts, ByteView in, LabelReport& report) {
  const std::string_view text = as_chars(in);
  auto format = labels::sniff_text_format(text);
  if (!format) return tl::unexpected(format.error());
  report.kind = "text";
  report.format = std::string(labels::text_format_name(*format));
  report.watermark = skipped("no watermark for text in SynthGate yet (optional under Art. 5)");
  if (opts.no_visible) {
    report.visible = skipped("--no-visible");
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

// A progress bar on stderr for long media, only for a person watching a terminal.
class ProgressBar {
 public:
  ProgressBar(std::ostream& err, bool enabled, std::string what)
      : err_(err), enabled_(enabled), what_(std::move(what)) {}
  ~ProgressBar() {
    if (enabled_ && drawn_ >= 0) err_ << "\n" << std::flush;
  }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  void set_enabled(bool enabled) { enabled_ = enabled; }
  void operator()(double fraction) {
    if (!enabled_) return;
    const int percent = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100);
    if (percent == drawn_) return;
    drawn_ = percent;
    const int filled = percent * 30 / 100;
    err_ << "\r" << what_ << " [" << std::string(static_cast<std::size_t>(filled), '#')
         << std::string(static_cast<std::size_t>(30 - filled), ' ') << "] " << percent << "%"
         << std::flush;
  }

 private:
  std::ostream& err_;
  bool enabled_;
  std::string what_;
  int drawn_ = -1;
};

constexpr double kProgressAfterSeconds = 5.0;

Result<std::vector<labels::AudioSpot>> parse_audio_spots(const std::string& text) {
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
                  "for audio, --position is a comma list of start, middle and end");
    }
  }
  if (spots.empty()) return fail(ErrorCode::kUsage, "--position is empty");
  return spots;
}

// The cue at the programme's level: the rhythm tones, a provider's clip or espeak-ng's voice.
Result<std::vector<float>> audio_cue(const LabelOptions& opts, const media::DecodedAudio& audio) {
  const double level = labels::cue_level_rms(audio.channels, audio.format.sample_rate);
  const int rate = audio.format.sample_rate;
  if (opts.audio_cue == "rhythm") return labels::rhythm_cue_samples({}, rate, level);
  if (opts.voice_clip) {
    auto clip = media::decode_audio_file(*opts.voice_clip, 60.0);
    if (!clip) return tl::unexpected(with_context(clip.error(), *opts.voice_clip));
    return labels::fit_voice_clip(clip->channels.front(), clip->format.sample_rate, rate, level);
  }
  auto voice = labels::speak_mandarin(opts.text ? *opts.text : labels::kDefaultVoiceWording);
  if (!voice) return tl::unexpected(voice.error());
  return labels::fit_voice_clip(voice->samples, voice->sample_rate, rate, level);
}

// A temporary file beside OUT for FFmpeg to write, renamed into place by commit(), removed
// otherwise: media is streamed to disk, never held whole in memory.
class TempMediaFile {
 public:
  explicit TempMediaFile(const std::filesystem::path& out) {
    const std::filesystem::path dir = out.has_parent_path() ? out.parent_path() : ".";
    std::string pattern = (dir / ("." + out.filename().string() + ".synthgate-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd >= 0) {
      ::close(fd);
      path_ = pattern;
    }
  }
  ~TempMediaFile() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove(path_, ec);
  }
  TempMediaFile(const TempMediaFile&) = delete;
  TempMediaFile& operator=(const TempMediaFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

  // Syncs the file and renames it to `out`.
  Status commit(const std::filesystem::path& out) {
    const int fd = ::open(path_.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
      if (fd >= 0) ::close(fd);
      return fail(ErrorCode::kIo, "cannot sync " + path_.string());
    }
    ::close(fd);
    std::error_code ec;
    std::filesystem::permissions(
        path_,
        std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
            std::filesystem::perms::group_read | std::filesystem::perms::others_read,
        ec);
    std::filesystem::rename(path_, out, ec);
    if (ec) return fail(ErrorCode::kIo, "cannot write " + out.string() + ": " + ec.message());
    path_.clear();
    return {};
  }

 private:
  std::filesystem::path path_;
};

// Media (audio, video) are written straight to OUT through a temporary file; the returned
// bytes are empty and `report.written` is set.
Status copy_into(const std::string& in, TempMediaFile& temp) {
  std::error_code ec;
  std::filesystem::copy_file(in, temp.path(), std::filesystem::copy_options::overwrite_existing,
                             ec);
  if (ec) return fail(ErrorCode::kIo, "cannot copy " + in + ": " + ec.message());
  return {};
}

Result<Bytes> label_audio_file(CommandContext& ctx, const LabelOptions& opts, LabelReport& report,
                               TempMediaFile& temp) {
  const bool show = !opts.json && ::isatty(STDERR_FILENO) == 1;
  media::keep_codec_logs_to_errors();
  auto audio = media::decode_audio_file(opts.in);
  if (!audio) return tl::unexpected(audio.error());
  report.kind = "audio";
  report.format = audio->format.container + "/" + audio->format.codec;
  report.watermark = skipped("no audio watermark in SynthGate yet (optional under Art. 5)");
  report.written = true;
  if (opts.no_visible) {
    report.visible = skipped("--no-visible");
    if (auto ok = copy_into(opts.in, temp); !ok) return tl::unexpected(ok.error());
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
  }
  auto cue = audio_cue(opts, *audio);
  if (!cue) return tl::unexpected(cue.error());
  auto labelled = labels::label_audio(audio->channels, audio->format.sample_rate, *cue, options);
  if (!labelled) return tl::unexpected(labelled.error());
  std::vector<double> starts;
  for (const auto s : labelled->cue_starts) {
    starts.push_back(static_cast<double>(s) / audio->format.sample_rate);
  }
  media::DecodedAudio out{audio->format, std::move(labelled->channels)};
  ProgressBar bar(ctx.err, show && out.seconds() > kProgressAfterSeconds, "encoding");
  if (auto ok = media::encode_audio_file(out, temp.path(), std::ref(bar)); !ok) {
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

Result<Bytes> label_video_file(CommandContext& ctx, const LabelOptions& opts, LabelReport& report,
                               TempMediaFile& temp) {
  report.kind = "video";
  report.watermark = skipped("no video watermark in SynthGate yet (optional under Art. 5)");
  report.written = true;
  if (opts.no_visible) {
    report.visible = skipped("--no-visible");
    if (auto ok = copy_into(opts.in, temp); !ok) return tl::unexpected(ok.error());
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
  labels::ImageLabelOptions image_options;
  if (opts.text) image_options.wording = *opts.text;
  auto font = labels::LabelFont::load();
  if (!font) return tl::unexpected(font.error());
  std::optional<labels::PreparedLabel> label;
  Status prepared;
  media::keep_codec_logs_to_errors();
  ::setenv("SVT_LOG", "1", 0);  // SVT-AV1 logs on its own: errors only, unless the user says
  const bool show = !opts.json && ::isatty(STDERR_FILENO) == 1;
  ProgressBar bar(ctx.err, false, "labelling video");  // enabled once the length is known
  media::FrameEditor editor;
  editor.wants = [&](double t, const media::VideoInfo& info) {
    if (!label && prepared) {
      bar.set_enabled(show && info.duration_seconds > kProgressAfterSeconds);
      auto made = labels::prepare_label(*font, image_options, {info.width, info.height});
      if (made) {
        label = std::move(*made);
      } else {
        prepared = tl::unexpected(made.error());
      }
    }
    return labels::video_label_shown(timing, t, info.duration_seconds);
  };
  editor.edit = [&](cv::Mat& bgr) -> Status {
    if (!prepared) return prepared;
    auto style = labels::apply_label(bgr, *label);
    if (!style) return tl::unexpected(style.error());
    return {};
  };
  const media::VideoEncodeSettings settings{opts.crf, opts.preset, 0};
  auto info = media::edit_video_file(opts.in, temp.path(), settings, editor, std::ref(bar));
  if (!info) return tl::unexpected(info.error());
  if (!prepared) return tl::unexpected(prepared.error());
  report.format = info->container + "/" + info->codec;
  const char* span = timing.span == labels::VideoSpan::kStart    ? "start"
                     : timing.span == labels::VideoSpan::kMiddle ? "middle"
                     : timing.span == labels::VideoSpan::kEnd    ? "end"
                                                                 : "whole";
  report.visible = {{"applied", true},
                    {"text", image_options.wording},
                    {"position", span},
                    {"seconds", timing.seconds},
                    {"frames", info->frames},
                    {"labelled_frames", info->edited_frames},
                    {"text_height", label ? label->text_box.height : 0},
                    {"shortest_side", std::min(info->width, info->height)},
                    {"audio_label", "not applied (the sound track is copied untouched)"}};
  return Bytes{};
}

// The producer's record for this content (ProduceID = the content id), its ReservedCode1
// signed by `sign` over the file it goes into.
using SignFile =
    std::function<Result<std::string>(const metadata::AigcRecord&, const Ed25519SigningKey&)>;
Result<metadata::AigcRecord> signed_record(const LabelOptions& opts, const ContentId& id,
                                           const KeySet* keys, const SignFile& sign,
                                           std::vector<std::string>& warnings) {
  if (opts.producer.empty()) {
    return fail(ErrorCode::kUsage, "give --producer CODE (or --no-metadata)");
  }
  metadata::AigcRecord record;
  record.label = "1";
  record.content_producer = opts.producer;
  record.produce_id = id.to_string();
  // --key-file, else the configured key set (loaded by run_label when no --key-file is given).
  auto key = opts.key_file ? read_signing_key_file(*opts.key_file)
                           : Result<Ed25519SigningKey>(keys->metadata_signing);
  if (!key) return tl::unexpected(key.error());
  auto signature = sign(record, *key);
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
Result<Bytes> add_metadata(const LabelOptions& opts, Bytes file, const ContentId& id,
                           const KeySet* keys, LabelReport& report) {
  if (opts.no_metadata) {
    report.metadata = skipped("--no-metadata");
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
  return labelled;
}

// Audio and video: the labelled media in `temp` goes to OUT through the streaming metadata
// writer (or is renamed there as it is, when no metadata label applies).
Status finish_media(const LabelOptions& opts, TempMediaFile& temp, const ContentId& id,
                    const KeySet* keys, LabelReport& report) {
  if (opts.no_metadata) {
    report.metadata = skipped("--no-metadata");
    return temp.commit(opts.out);
  }
  if (auto reading = metadata::read_label_file(temp.path()); !reading) {
    if (reading.error().code != ErrorCode::kUnsupportedMediaType) {
      return tl::unexpected(reading.error());
    }
    report.metadata = skipped("no metadata label: " + reading.error().message);
    return temp.commit(opts.out);
  }
  std::vector<std::string> warnings;
  auto record = signed_record(
      opts, id, keys,
      [&temp](const metadata::AigcRecord& r, const Ed25519SigningKey& k) {
        return metadata::producer_signature_file(temp.path(), r, k);
      },
      warnings);
  if (!record) return tl::unexpected(record.error());
  if (auto ok = metadata::write_label_file(temp.path(), opts.out, *record); !ok) return ok;
  report.metadata = applied_metadata(*record, warnings);
  return {};
}

Result<Bytes> read_head(const std::string& path, std::size_t n) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail(ErrorCode::kIo, "cannot read " + path);
  Bytes head(n);
  file.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(n));
  head.resize(static_cast<std::size_t>(file.gcount()));
  return head;
}

int run_label(CommandContext& ctx, const LabelOptions& opts) {
  if (auto ok = check_output_path(opts.out); !ok) return report(ctx, ok.error());
  if (same_file(opts.in, opts.out)) {
    return report(ctx, {ErrorCode::kUsage, "OUT must not be IN: the input is never modified"});
  }
  if (opts.text) {
    if (auto ok = labels::check_wording(*opts.text); !ok) {
      return report(ctx, {ErrorCode::kUsage, "--text: " + ok.error().message});
    }
  }
  SystemClock clock;
  SecureRandom random;
  ContentId id;
  if (opts.content_id) {
    auto parsed = ContentId::parse(*opts.content_id);
    if (!parsed) return report(ctx, with_context(parsed.error(), "--content-id"));
    id = *parsed;
  } else {
    IdGenerator ids(clock, random);
    id = ids.next_content_id();
  }
  std::optional<KeySet> keys;
  if (!opts.no_watermark || (!opts.no_metadata && !opts.key_file)) {
    auto config = load_command_config(ctx, opts.config_file, {});
    if (!config) return report(ctx, config.error());
    auto loaded = load_key_set(config->keys.dir, config->keys.generate_missing, random);
    if (!loaded) return report(ctx, loaded.error());
    keys = std::move(loaded->keys);
  }
  // The first bytes decide: images and text are read whole, media are streamed from the file.
  auto head = read_head(opts.in, 4096);
  if (!head) return report(ctx, head.error());
  const bool maybe_text = std::find(head->begin(), head->end(), 0) == head->end();
  Result<Bytes> in = Bytes{};
  if (media::sniff_image_format(*head) || maybe_text) {
    in = read_file(opts.in);
    if (!in) return report(ctx, in.error());
  }

  LabelReport rep;
  std::optional<TempMediaFile> media_temp;  // where FFmpeg writes audio and video
  Result<Bytes> out = fail(ErrorCode::kUnsupportedMediaType, "unsupported file type");
  if (media::sniff_image_format(*head)) {
    out = label_image_file(opts, *in, id, keys ? &*keys : nullptr, rep);
  } else {
    if (maybe_text) out = label_text_file(opts, *in, rep);
    if (!out && out.error().code == ErrorCode::kUnsupportedMediaType) {
      media::keep_codec_logs_to_errors();
      media_temp.emplace(opts.out);
      if (media_temp->path().empty())
        return report(ctx, {ErrorCode::kIo, "cannot make a temporary file"});
      out = media::has_video_stream(opts.in) ? label_video_file(ctx, opts, rep, *media_temp)
                                             : label_audio_file(ctx, opts, rep, *media_temp);
    }
    if (!out && out.error().code == ErrorCode::kUnsupportedMediaType) {
      out = fail(ErrorCode::kUnsupportedMediaType,
                 "unsupported file type (images: PNG, JPEG, WebP, BMP; UTF-8 text, Markdown, "
                 "HTML; audio FFmpeg reads: WAV, MP3, FLAC, Ogg, M4A)");
    }
  }
  if (out && rep.written) {
    if (auto ok = finish_media(opts, *media_temp, id, keys ? &*keys : nullptr, rep); !ok) {
      out = tl::unexpected(ok.error());
    }
  } else if (out) {
    out = add_metadata(opts, std::move(*out), id, keys ? &*keys : nullptr, rep);
  }
  if (!out) {
    if (out.error().code == ErrorCode::kUsage) return report(ctx, out.error());
    return report(ctx, with_context(out.error(), opts.in));
  }
  if (!rep.written) {
    if (auto written = write_file_atomically(opts.out, *out); !written) {
      return report(ctx, written.error());
    }
  }
  if (opts.json) {
    ctx.out << ordered_json{{"input", opts.in},
                            {"output", opts.out},
                            {"kind", rep.kind},
                            {"format", rep.format},
                            {"content_id", id.to_string()},
                            {"visible", rep.visible},
                            {"watermark", rep.watermark},
                            {"metadata", rep.metadata}}
                   .dump()
            << "\n";
  } else {
    ctx.out << "labelled " << opts.in << " -> " << opts.out << " (" << rep.format << ", content id "
            << id.to_string() << ")\n";
  }
  return 0;
}

}  // namespace

void add_label_command(CLI::App& app, CommandContext& ctx) {
  auto o = std::make_shared<LabelOptions>();
  auto* cmd = app.add_subcommand(
      "label",
      "Label an AI-generated file: visible label, then watermark (images), then metadata "
      "(JPEG, PNG, WebP); the file type is read from its bytes");
  cmd->add_option("IN", o->in, "Input file (never modified)")->required();
  cmd->add_option("OUT", o->out, "Labelled file to write (atomically)")->required();
  cmd->add_option("--producer", o->producer,
                  "ContentProducer of the metadata label: the 27-character provider code");
  cmd->add_option("--content-id", o->content_id,
                  "Content id (26 Crockford base32 characters); default: a new UUIDv7");
  cmd->add_option("--text", o->text,
                  "Visible label wording, with 人工智能 or AI and 生成 or 合成 (default: AI生成 "
                  "on images, 本内容由人工智能生成 in text)");
  cmd->add_option("--position", o->position,
                  "Images: bottom-right (default), bottom-left, top-right, top-left, bottom, top; "
                  "text: start (default), end, both; audio: start (default), middle, end or a "
                  "comma list; video: start (default), middle, end, whole");
  cmd->add_flag("--no-visible", o->no_visible, "Skip the visible label");
  cmd->add_flag("--no-watermark", o->no_watermark, "Skip the invisible watermark");
  cmd->add_flag("--no-metadata", o->no_metadata, "Skip the metadata label");
  cmd->add_option("--key-file", o->key_file,
                  "Ed25519 key (PEM, 0600) signing ReservedCode1; default: "
                  "keys.dir/metadata-signing.pem");
  cmd->add_option("--config", o->config_file, "Configuration file (for keys.dir)");
  cmd->add_option("--audio-cue", o->audio_cue,
                  "Audio: rhythm (short long short short tones, default) or voice (--voice-clip, "
                  "else 人工智能生成 spoken by espeak-ng)");
  cmd->add_option("--voice-clip", o->voice_clip,
                  "Audio: the provider's spoken label (any audio file)");
  cmd->add_option("--audio-mode", o->audio_mode,
                  "Audio: insert (default; the programme moves on) or mix (over the programme)");
  cmd->add_option("--label-seconds", o->label_seconds,
                  "Video: how long the label shows (default 2, the standard's minimum)");
  cmd->add_option("--crf", o->crf, "Video: constant-quality factor of the re-encoded stream");
  cmd->add_option("--preset", o->preset, "Video: x264/x265 preset (e.g. veryfast, medium)");
  cmd->add_flag("--json", o->json, "Print one JSON object describing each step");
  cmd->callback([&ctx, o] { ctx.exit_code = run_label(ctx, *o); });
}

}  // namespace synthgate::cli
