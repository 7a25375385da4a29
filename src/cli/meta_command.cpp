// synthgate meta write|read|verify: the GB 45438-2025 implicit label of a file.
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/command.hpp"
#include "cli/runtime_setup.hpp"
#include "core/file_io.hpp"
#include "core/key_set.hpp"
#include "metadata/implicit_label.hpp"

namespace synthgate::cli {

namespace {

struct MetaWriteOptions {
  std::string in, out;
  metadata::AigcRecord record;
  bool sign = false;
  std::optional<std::string> key_file;
  std::optional<std::string> config_file;
  std::string digital_source_type;
  bool json = false;
};

struct MetaReadOptions {
  std::string in;
  bool json = false;
};

struct MetaVerifyOptions {
  std::string in;
  std::optional<std::string> key_file;
  std::optional<std::string> config_file;
  bool json = false;
};

nlohmann::ordered_json record_json(const metadata::AigcRecord& r) {
  return nlohmann::ordered_json::parse(r.to_json());
}

// The provider's metadata signing key: --key-file, else metadata-signing.pem in the
// configured key directory (made on a development machine's first run).
Result<Ed25519SigningKey> signing_key(const CommandContext& ctx,
                                      const std::optional<std::string>& key_file,
                                      const std::optional<std::string>& config_file) {
  if (key_file) return read_signing_key_file(*key_file);
  auto keys = load_command_keys(ctx, config_file);
  if (!keys) return tl::unexpected(keys.error());
  return std::move(keys->metadata_signing);
}

int meta_write(CommandContext& ctx, MetaWriteOptions& opts) {
  if (same_file(opts.in, opts.out)) {
    return report(ctx, {ErrorCode::kUsage, "OUT must not be IN: the input is never modified"});
  }
  const bool platform_only = opts.record.content_producer.empty();
  if (!opts.record.content_propagator.empty() && opts.record.propagate_id.empty()) {
    return report(ctx, {ErrorCode::kUsage, "--propagator needs --propagate-id"});
  }
  if (platform_only && opts.record.content_propagator.empty()) {
    return report(ctx, {ErrorCode::kUsage,
                        "give --producer and --produce-id, or --propagator and --propagate-id"});
  }
  // Files are streamed: a large video is never read whole into memory.
  metadata::AigcRecord record = opts.record;
  if (opts.sign) {
    if (platform_only)
      return report(ctx, {ErrorCode::kUsage, "--sign signs the producer fields: give --producer"});
    auto key = signing_key(ctx, opts.key_file, opts.config_file);
    if (!key) return report(ctx, key.error());
    auto signature = metadata::producer_signature_file(opts.in, record, *key);
    if (!signature) return report(ctx, signature.error());
    record.reserved_code1 = *signature;
  }
  const metadata::RecordFindings findings = metadata::check_record(record);
  if (!findings.ok()) return report(ctx, {ErrorCode::kInvalidArgument, findings.errors.front()});

  const metadata::WriteOptions write_options{opts.digital_source_type};
  auto written = platform_only
                     ? metadata::write_propagation_file(opts.in, opts.out, record, write_options)
                     : metadata::write_label_file(opts.in, opts.out, record, write_options);
  if (!written) return report(ctx, written.error());

  auto reading = metadata::read_label_file(opts.out);  // what a reader of OUT will see
  if (!reading || !reading->record) {
    return report(ctx, {ErrorCode::kInternal, "the label written could not be read back"});
  }
  if (opts.json) {
    ctx.out << nlohmann::ordered_json{{"format", reading->format},
                                      {"out", opts.out},
                                      {"aigc", record_json(*reading->record)},
                                      {"warnings", findings.warnings}}
                   .dump()
            << "\n";
  } else {
    for (const auto& w : findings.warnings) ctx.err << "synthgate: warning: " << w << "\n";
    ctx.out << "wrote " << opts.out << " (" << reading->format << ") AIGC "
            << reading->record->to_json() << "\n";
  }
  return 0;
}

int meta_read(CommandContext& ctx, const MetaReadOptions& opts) {
  auto reading = metadata::read_label_file(opts.in);
  if (!reading) return report(ctx, reading.error());
  if (opts.json) {
    nlohmann::ordered_json out{{"format", reading->format},
                               {"aigc", reading->record ? record_json(*reading->record) : nullptr},
                               {"count", reading->count}};
    ctx.out << out.dump() << "\n";
  } else if (reading->record) {
    ctx.out << reading->format << ": AIGC " << reading->record->to_json();
    if (reading->count > 1)
      ctx.out << " (and " << reading->count - 1 << " more: a file should carry one)";
    ctx.out << "\n";
  } else {
    ctx.out << reading->format << ": no AIGC label\n";
  }
  return 0;
}

int meta_verify(CommandContext& ctx, const MetaVerifyOptions& opts) {
  auto key = signing_key(ctx, opts.key_file, opts.config_file);
  if (!key) return report(ctx, key.error());
  auto result = metadata::verify_label_file(opts.in, key->public_key());
  if (!result) return report(ctx, result.error());
  const std::string_view name = metadata::integrity_name(*result);
  if (opts.json) {
    ctx.out << nlohmann::json{{"result", name}}.dump() << "\n";
  } else {
    ctx.out << name << "\n";
  }
  return 0;
}

}  // namespace

void add_meta_command(CLI::App& app, CommandContext& ctx) {
  auto* meta = app.add_subcommand(
      "meta", "Write, read and verify the GB 45438-2025 implicit label (AIGC metadata)");
  meta->require_subcommand(1);

  auto w = std::make_shared<MetaWriteOptions>();
  auto* write = meta->add_subcommand(
      "write",
      "Write IN to OUT carrying exactly one AIGC label (an existing one is replaced; "
      "with only --propagator, the producer fields already there are kept)");
  write->add_option("IN", w->in, "Input file (type read from its bytes)")->required();
  write->add_option("OUT", w->out, "Output file, written atomically")->required();
  write->add_option("--label", w->record.label, "1 generated, 2 possibly generated, 3 suspected")
      ->required()
      ->check(CLI::IsMember({"1", "2", "3"}));
  write->add_option("--producer", w->record.content_producer,
                    "ContentProducer: 27-character provider code");
  write->add_option("--produce-id", w->record.produce_id, "ProduceID: the provider's content id");
  write->add_option("--reserved1", w->record.reserved_code1, "ReservedCode1 (or --sign)");
  write->add_option("--propagator", w->record.content_propagator,
                    "ContentPropagator: platform code");
  write->add_option("--propagate-id", w->record.propagate_id,
                    "PropagateID: the platform's content id");
  write->add_option("--reserved2", w->record.reserved_code2, "ReservedCode2");
  write->add_flag("--sign", w->sign,
                  "Fill ReservedCode1 with an Ed25519 signature over the label and the content");
  write->add_option(
      "--key-file", w->key_file,
      "Ed25519 private key (PEM, mode 0600) for --sign; default: keys.dir/metadata-signing.pem");
  write->add_option(
      "--digital-source-type", w->digital_source_type,
      "IPTC DigitalSourceType URI written beside the label (default trainedAlgorithmicMedia)");
  write->add_option("--config", w->config_file, "Configuration file (for keys.dir)");
  write->add_flag("--json", w->json, "Print one JSON object");
  write->callback([&ctx, w] { ctx.exit_code = meta_write(ctx, *w); });

  auto r = std::make_shared<MetaReadOptions>();
  auto* read = meta->add_subcommand("read", "Print the AIGC label of IN");
  read->add_option("IN", r->in, "Input file")->required();
  read->add_flag("--json", r->json, "Print {\"format\", \"aigc\": {...}|null, \"count\": N}");
  read->callback([&ctx, r] { ctx.exit_code = meta_read(ctx, *r); });

  auto v = std::make_shared<MetaVerifyOptions>();
  auto* verify = meta->add_subcommand("verify", "Check ReservedCode1: intact, altered or unsigned");
  verify->add_option("IN", v->in, "Input file")->required();
  verify->add_option("--key-file", v->key_file,
                     "The provider's Ed25519 key (PEM); default: keys.dir/metadata-signing.pem");
  verify->add_option("--config", v->config_file, "Configuration file (for keys.dir)");
  verify->add_flag("--json", v->json, "Print {\"result\": \"intact|altered|unsigned\"}");
  verify->callback([&ctx, v] { ctx.exit_code = meta_verify(ctx, *v); });
}

}  // namespace synthgate::cli
