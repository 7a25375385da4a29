// synthgate watermark embed|extract: the invisible watermark (issue 5) on image and video
// files, the type read from the bytes. Images are read whole; video is streamed through
// FFmpeg from file to file.
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>

#include "cli/command.hpp"
#include "cli/runtime_setup.hpp"
#include "core/file_io.hpp"
#include "core/key_file.hpp"
#include "core/key_set.hpp"
#include "core/secure_random.hpp"
#include "core/staged_file.hpp"
#include "media/audio_file.hpp"
#include "media/image_codec.hpp"
#include "media/video_file.hpp"
#include "watermark/image_watermark.hpp"
#include "watermark/video_watermark.hpp"

namespace synthgate::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kWatermarkKeyBytes = 32;

struct WatermarkOptions {
  std::string input;
  std::string output;
  std::string payload;
  std::optional<std::string> key_file;
  std::optional<std::string> config_file;
  int crf = -1;
  std::string preset;
  bool json = false;
};

Result<std::uint64_t> parse_payload(const std::string& text) {
  auto bytes = hex_decode(text);
  if (text.size() != 16 || !bytes) {
    return fail(ErrorCode::kUsage, "--payload must be 16 hexadecimal digits (64 bits)");
  }
  std::uint64_t value = 0;
  for (const std::uint8_t b : *bytes) value = (value << 8) | b;
  return value;
}

std::string payload_hex(std::uint64_t payload) {
  Bytes bytes;
  for (int i = 7; i >= 0; --i) bytes.push_back(static_cast<std::uint8_t>(payload >> (8 * i)));
  return hex_encode(bytes);
}

// --key-file, else the watermark key of the configured key set, loaded as `serve` does.
Result<SecretBytes> load_watermark_key(const CommandContext& ctx, const WatermarkOptions& opts) {
  if (opts.key_file) return read_symmetric_key_file(*opts.key_file, kWatermarkKeyBytes);
  auto keys = load_command_keys(ctx, opts.config_file);
  if (!keys) return tl::unexpected(keys.error());
  return std::move(keys->watermark);
}

Result<media::DecodedImage> read_image(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  auto image = media::decode_image(*bytes);
  if (!image) return tl::unexpected(with_context(image.error(), path));
  return image;
}

enum class FileKind { kImage, kVideo };

// Images by their first bytes, else video when FFmpeg finds a video stream; anything else is
// refused with the image reader's reason.
Result<FileKind> kind_of(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail(ErrorCode::kIo, "cannot read " + path);
  Bytes head(64);
  file.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(file.gcount()));
  auto image = media::sniff_image_format(head);
  if (image) return FileKind::kImage;
  media::keep_codec_logs_to_errors();
  if (media::has_video_stream(path)) return FileKind::kVideo;
  return tl::unexpected(with_context(
      Error{image.error().code, image.error().message + ", nor a video FFmpeg reads"}, path));
}

int embed_video(CommandContext& ctx, const WatermarkOptions& opts, std::uint64_t payload,
                const SecretBytes& key) {
  if (auto ok = check_output_path(opts.output); !ok) return report(ctx, ok.error());
  StagedFile temp(opts.output);  // FFmpeg writes beside OUT; renamed into place on success
  if (!temp.ok()) return report(ctx, {ErrorCode::kIo, "cannot make a temporary file"});
  const media::VideoEncodeSettings settings{opts.crf, opts.preset, 0};
  auto marked = watermark::embed_video_watermark(opts.input, temp.path(), payload, key, settings);
  if (!marked) return report(ctx, with_context(marked.error(), opts.input));
  if (auto ok = temp.commit(opts.output); !ok) return report(ctx, ok.error());
  if (opts.json) {
    ctx.out << nlohmann::json{{"output", opts.output},
                              {"payload", payload_hex(payload)},
                              {"format", marked->info.container + "/" + marked->info.codec},
                              {"width", marked->info.width},
                              {"height", marked->info.height},
                              {"frames", marked->info.frames},
                              {"marked_frames", marked->marked_frames}}
                   .dump()
            << "\n";
  } else {
    ctx.out << "watermarked " << opts.input << " -> " << opts.output << " (payload "
            << payload_hex(payload) << ", " << marked->marked_frames << " of "
            << marked->info.frames << " frames)\n";
  }
  return 0;
}

int embed(CommandContext& ctx, const WatermarkOptions& opts) {
  auto payload = parse_payload(opts.payload);
  if (!payload) return report(ctx, payload.error());
  std::error_code ec;
  if (fs::exists(opts.output, ec) && fs::equivalent(opts.input, opts.output, ec)) {
    return report(ctx, Error{ErrorCode::kUsage, "OUT must differ from IN (IN is never modified)"});
  }
  auto key = load_watermark_key(ctx, opts);
  if (!key) return report(ctx, key.error());
  auto kind = kind_of(opts.input);
  if (!kind) return report(ctx, kind.error());
  if (*kind == FileKind::kVideo) return embed_video(ctx, opts, *payload, *key);
  auto image = read_image(opts.input);
  if (!image) return report(ctx, image.error());
  auto marked = watermark::embed_image_watermark(image->pixels, *payload, *key);
  if (!marked) return report(ctx, with_context(marked.error(), opts.input));
  // The output keeps the input's format, as read from its bytes.
  auto encoded = media::encode_image(*marked, image->format);
  if (!encoded) return report(ctx, encoded.error());
  if (auto written = write_file_atomically(opts.output, *encoded); !written) {
    return report(ctx, written.error());
  }
  if (opts.json) {
    ctx.out << nlohmann::json{{"output", opts.output},
                              {"payload", payload_hex(*payload)},
                              {"format", std::string(media::format_name(image->format))},
                              {"width", marked->cols},
                              {"height", marked->rows}}
                   .dump()
            << "\n";
  } else {
    ctx.out << "watermarked " << opts.input << " -> " << opts.output << " (payload "
            << payload_hex(*payload) << ")\n";
  }
  return 0;
}

int extract(CommandContext& ctx, const WatermarkOptions& opts) {
  auto key = load_watermark_key(ctx, opts);
  if (!key) return report(ctx, key.error());
  auto kind = kind_of(opts.input);
  if (!kind) return report(ctx, kind.error());
  Result<watermark::WatermarkReading> reading = watermark::WatermarkReading{};
  std::optional<std::int64_t> frames_read;  // video only
  if (*kind == FileKind::kVideo) {
    auto video = watermark::read_video_watermark(opts.input, *key);
    if (!video) return report(ctx, with_context(video.error(), opts.input));
    reading = video->reading;
    frames_read = video->frames_read;
  } else {
    auto image = read_image(opts.input);
    if (!image) return report(ctx, image.error());
    reading = watermark::read_image_watermark(image->pixels, *key);
  }
  if (!reading) return report(ctx, with_context(reading.error(), opts.input));
  const std::string payload = reading->found ? payload_hex(reading->payload) : "";
  if (opts.json) {
    nlohmann::json out{{"found", reading->found},
                       {"payload", payload},
                       {"confidence", reading->confidence},
                       {"bit_errors", reading->bit_errors}};
    if (frames_read) out["frames_read"] = *frames_read;
    ctx.out << out.dump() << "\n";
  } else if (reading->found) {
    ctx.out << "watermark found: payload " << payload << " (confidence " << reading->confidence
            << ", " << reading->bit_errors << " bit errors corrected)\n";
  } else {
    ctx.out << "no watermark found\n";
  }
  return 0;
}

void add_key_options(CLI::App* cmd, WatermarkOptions& opts) {
  cmd->add_option("--key-file", opts.key_file,
                  "File holding the 32-byte watermark key as 64 hexadecimal digits (default: "
                  "watermark.key in the configured keys directory)");
  cmd->add_option("--config", opts.config_file, "TOML configuration file (for keys.dir)");
  cmd->add_flag("--json", opts.json, "Print one JSON object");
}

}  // namespace

void add_watermark_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "watermark",
      "Embed or read the invisible, keyed watermark of an image (PNG, JPEG, WebP, BMP) or a "
      "video (any FFmpeg reads; the type is read from the bytes)");
  cmd->require_subcommand(1);

  auto embed_opts = std::make_shared<WatermarkOptions>();
  auto* embed_cmd = cmd->add_subcommand(
      "embed",
      "Write OUT: IN with a 64-bit payload hidden in its pixels, in IN's format (video: every "
      "frame, same codec and container, audio copied)");
  embed_cmd->add_option("IN", embed_opts->input, "Image or video to mark (never modified)")
      ->required();
  embed_cmd->add_option("OUT", embed_opts->output, "Marked file to write")->required();
  embed_cmd->add_option("--payload", embed_opts->payload, "64-bit payload as 16 hex digits")
      ->required();
  embed_cmd->add_option("--crf", embed_opts->crf,
                        "Video: constant-quality factor of the re-encoded stream");
  embed_cmd->add_option("--preset", embed_opts->preset,
                        "Video: x264/x265 preset (e.g. veryfast, medium)");
  add_key_options(embed_cmd, *embed_opts);
  embed_cmd->callback([&ctx, embed_opts] { ctx.exit_code = embed(ctx, *embed_opts); });

  auto extract_opts = std::make_shared<WatermarkOptions>();
  auto* extract_cmd = cmd->add_subcommand(
      "extract",
      "Read the payload of IN without the original: {found, payload, confidence, "
      "bit_errors} (video: also frames_read)");
  extract_cmd->add_option("IN", extract_opts->input, "Image or video to read")->required();
  add_key_options(extract_cmd, *extract_opts);
  extract_cmd->callback([&ctx, extract_opts] { ctx.exit_code = extract(ctx, *extract_opts); });
}

}  // namespace synthgate::cli
