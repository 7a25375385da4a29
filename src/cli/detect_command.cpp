// synthgate detect IN: the labels a file carries (metadata, watermark, visible label) and the
// Labeling Measures Art. 6 verdict a distribution platform shows for it (docs/detection.md).
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "cli/runtime_setup.hpp"
#include "core/key_file.hpp"
#include "core/key_set.hpp"
#include "pipeline/content_detector.hpp"
#include "pipeline/detection_json.hpp"

namespace synthgate::cli {

namespace {

constexpr std::size_t kWatermarkKeyBytes = 32;

struct DetectOptions {
  std::string in;
  std::optional<std::string> key_file;
  std::optional<std::string> watermark_key_file;
  std::optional<std::string> config_file;
  bool declared_ai = false;
  bool json = false;
};

// The keys named by flags, the configured key set for the others.
struct DetectKeys {
  Ed25519PublicKey metadata;
  SecretBytes watermark;
};

Result<DetectKeys> load_keys(const CommandContext& ctx, const DetectOptions& opts) {
  std::optional<KeySet> set;
  if (!opts.key_file || !opts.watermark_key_file) {
    auto loaded = load_command_keys(ctx, opts.config_file);
    if (!loaded) return tl::unexpected(loaded.error());
    set = std::move(*loaded);
  }
  auto signing = opts.key_file ? read_signing_key_file(*opts.key_file)
                               : Result<Ed25519SigningKey>(set->metadata_signing);
  if (!signing) return tl::unexpected(signing.error());
  auto watermark = opts.watermark_key_file
                       ? read_symmetric_key_file(*opts.watermark_key_file, kWatermarkKeyBytes)
                       : Result<SecretBytes>(set->watermark);
  if (!watermark) return tl::unexpected(watermark.error());
  return DetectKeys{signing->public_key(), std::move(*watermark)};
}

void print_summary(std::ostream& out, const std::string& in,
                   const pipeline::DetectionReport& report) {
  out << in << ": " << pipeline::verdict_name(report.verdict) << " (" << report.reason << ")\n"
      << "  " << report.kind << ", " << report.format << "\n";
  if (report.metadata.record) {
    out << "  metadata: AIGC " << report.metadata.record->to_json();
    if (report.metadata.integrity)
      out << ", signature " << metadata::integrity_name(*report.metadata.integrity);
    out << "\n";
  } else {
    out << "  metadata: "
        << (report.metadata.checked ? "no AIGC label" : "not checked: " + report.metadata.note)
        << "\n";
  }
  if (report.watermark.checked) {
    out << "  watermark: "
        << (report.watermark.found
                ? "found, payload " + pipeline::payload_hex(report.watermark.payload)
                : std::string("none"))
        << "\n";
  } else {
    out << "  watermark: not checked: " << report.watermark.note << "\n";
  }
  if (report.explicit_label.checked) {
    out << "  visible label: "
        << (report.explicit_label.found ? "found (" + report.explicit_label.line + ")"
                                        : std::string("none"))
        << "\n";
  } else {
    out << "  visible label: not checked: " << report.explicit_label.note << "\n";
  }
}

int run_detect(CommandContext& ctx, const DetectOptions& opts) {
  auto keys = load_keys(ctx, opts);
  if (!keys) return report(ctx, keys.error());
  auto detection =
      pipeline::detect_file(opts.in, {&keys->metadata, &keys->watermark}, {opts.declared_ai});
  if (!detection) {
    return report(ctx, detection.error().code == ErrorCode::kUnsupportedMediaType
                           ? with_context(detection.error(), opts.in)
                           : detection.error());
  }
  if (opts.json) {
    ctx.out << pipeline::detection_json(*detection, pipeline::ReportAudience::kProvider).dump()
            << "\n";
  } else {
    print_summary(ctx.out, opts.in, *detection);
  }
  return 0;
}

}  // namespace

void add_detect_command(CLI::App& app, CommandContext& ctx) {
  auto o = std::make_shared<DetectOptions>();
  auto* cmd = app.add_subcommand(
      "detect",
      "Check a file's metadata label, watermark and visible label and print the Labeling "
      "Measures Art. 6 verdict: confirmed, possible, suspected or none (exit 0 for any verdict)");
  cmd->add_option("IN", o->in, "File to check (type read from its bytes; never modified)")
      ->required();
  cmd->add_option("--key-file", o->key_file,
                  "The provider's Ed25519 key (PEM, 0600) that checks ReservedCode1; default: "
                  "keys.dir/metadata-signing.pem");
  cmd->add_option("--watermark-key-file", o->watermark_key_file,
                  "The 32-byte watermark key as 64 hex digits; default: keys.dir/watermark.key");
  cmd->add_option("--config", o->config_file, "Configuration file (for keys.dir)");
  cmd->add_flag("--declared-ai", o->declared_ai,
                "The uploader declares the content AI-generated (Art. 6 case 2: possible)");
  cmd->add_flag("--json", o->json,
                "Print {\"verdict\", \"metadata\", \"watermark\", \"explicit_label\", ...}");
  cmd->callback([&ctx, o] { ctx.exit_code = run_detect(ctx, *o); });
}

}  // namespace synthgate::cli
