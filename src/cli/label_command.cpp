// synthgate label IN OUT: the whole labelling of one output file (pipeline::label_file), as
// the gateway does it for outputs; each step is reported in the --json output.
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "cli/command.hpp"
#include "cli/runtime_setup.hpp"
#include "core/clock.hpp"
#include "core/file_io.hpp"
#include "core/ids.hpp"
#include "core/key_set.hpp"
#include "core/secure_random.hpp"
#include "pipeline/content_labeller.hpp"

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
  bool audio_cue_given = false;  // --audio-cue or --audio-position: on a video, its sound too
  std::optional<std::string> audio_position;
  double label_seconds = 2.0;
  int crf = -1;
  std::string preset;
  bool json = false;
};

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
  void set_what(std::string_view what) { what_ = what; }
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

int run_label(CommandContext& ctx, const LabelOptions& opts) {
  pipeline::LabelPlan plan;
  plan.producer = opts.producer;
  plan.text = opts.text;
  plan.position = opts.position;
  plan.visible = !opts.no_visible;
  plan.watermark = !opts.no_watermark;
  plan.metadata = !opts.no_metadata;
  plan.audio_cue = opts.audio_cue;
  if (opts.voice_clip) plan.voice_clip = *opts.voice_clip;
  plan.audio_mode = opts.audio_mode;
  plan.sound_track_label = opts.audio_cue_given;
  plan.audio_position = opts.audio_position;
  plan.label_seconds = opts.label_seconds;
  plan.crf = opts.crf;
  plan.preset = opts.preset;
  if (auto ok = pipeline::check_plan(plan); !ok) {
    return report(ctx, {ErrorCode::kUsage, ok.error().message});
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
  // --key-file signs ReservedCode1; otherwise the configured key set has every key.
  std::optional<KeySet> keys;
  std::optional<Ed25519SigningKey> signing;
  if (plan.metadata && opts.key_file) {
    auto key = read_signing_key_file(*opts.key_file);
    if (!key) return report(ctx, key.error());
    signing = std::move(*key);
  }
  if (plan.watermark || (plan.metadata && !signing)) {
    auto config = load_command_config(ctx, opts.config_file, {});
    if (!config) return report(ctx, config.error());
    auto loaded = load_key_set(config->keys.dir, config->keys.generate_missing, random);
    if (!loaded) return report(ctx, loaded.error());
    keys = std::move(loaded->keys);
  }
  pipeline::LabelKeys label_keys;
  if (keys) label_keys.watermark = &keys->watermark;
  label_keys.metadata_signing = signing ? &*signing : keys ? &keys->metadata_signing : nullptr;

  const bool show = !opts.json && ::isatty(STDERR_FILENO) == 1;
  ProgressBar bar(ctx.err, false, "labelling");
  auto progress = [&](std::string_view stage, double fraction, double seconds) {
    bar.set_enabled(show && seconds > kProgressAfterSeconds);
    bar.set_what(stage);
    bar(fraction);
  };
  auto outcome = pipeline::label_file(opts.in, opts.out, id, plan, label_keys, progress);
  if (!outcome) {
    if (outcome.error().code == ErrorCode::kUsage) return report(ctx, outcome.error());
    return report(ctx, with_context(outcome.error(), opts.in));
  }
  if (opts.json) {
    ctx.out << ordered_json{{"input", opts.in},
                            {"output", opts.out},
                            {"kind", outcome->kind},
                            {"format", outcome->format},
                            {"content_id", id.to_string()},
                            {"visible", outcome->visible},
                            {"watermark", outcome->watermark},
                            {"metadata", outcome->metadata},
                            {"kept", outcome->kept}}
                   .dump()
            << "\n";
  } else {
    ctx.out << "labelled " << opts.in << " -> " << opts.out << " (" << outcome->format
            << ", content id " << id.to_string() << ")\n";
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
  auto* audio_cue = cmd->add_option(
      "--audio-cue", o->audio_cue,
      "Audio: rhythm (short long short short tones, default) or voice (--voice-clip, else "
      "人工智能生成 spoken by espeak-ng). Video: given, the cue is also mixed over the sound "
      "track (without it the track is copied untouched)");
  cmd->add_option("--voice-clip", o->voice_clip,
                  "Audio: the provider's spoken label (any audio file)");
  cmd->add_option("--audio-mode", o->audio_mode,
                  "Audio: insert (default; the programme moves on) or mix (over the programme); "
                  "a video's sound track is always mixed, to stay in sync with the picture");
  auto* audio_position = cmd->add_option(
      "--audio-position", o->audio_position,
      "Where the audio cue goes: start (default), middle, end or a comma list; on a video, "
      "on its sound track (and, like --audio-cue, it asks for that label); audio files also "
      "take --position");
  cmd->add_option("--label-seconds", o->label_seconds,
                  "Video: how long the label shows (default 2, the standard's minimum)");
  cmd->add_option("--crf", o->crf, "Video: constant-quality factor of the re-encoded stream");
  cmd->add_option("--preset", o->preset, "Video: x264/x265 preset (e.g. veryfast, medium)");
  cmd->add_flag("--json", o->json, "Print one JSON object describing each step");
  cmd->callback([&ctx, o, audio_cue, audio_position] {
    o->audio_cue_given = audio_cue->count() > 0 || audio_position->count() > 0;
    ctx.exit_code = run_label(ctx, *o);
  });
}

}  // namespace synthgate::cli
