// synthgate pdq IN...: the PDQ hash and quality of each image, one line per file
// (HASH_HEX QUALITY PATH), the way the reference pdq-photo-hasher prints them.
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "core/file_io.hpp"
#include "moderation/image_moderation.hpp"

namespace synthgate::cli {

namespace {

struct PdqOptions {
  std::vector<std::string> inputs;
  bool json = false;
};

int run_pdq(CommandContext& ctx, const PdqOptions& opts) {
  auto files = nlohmann::json::array();
  std::vector<std::string> lines;
  for (const auto& path : opts.inputs) {
    auto bytes = read_file(path);
    if (!bytes) return report(ctx, bytes.error());
    auto pdq = moderation::pdq_of_image(*bytes);
    if (!pdq) return report(ctx, with_context(pdq.error(), path));
    files.push_back({{"path", path}, {"hash", pdq->hash.hex()}, {"quality", pdq->quality}});
    lines.push_back(pdq->hash.hex() + " " + std::to_string(pdq->quality) + " " + path);
  }
  // Nothing is printed until every file is hashed, so a failure leaves no partial output.
  if (opts.json) {
    ctx.out << nlohmann::json{{"files", files}}.dump(-1, ' ', false,
                                                     nlohmann::json::error_handler_t::replace)
            << "\n";
  } else {
    for (const auto& l : lines) ctx.out << l << "\n";
  }
  return 0;
}

}  // namespace

void add_pdq_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand(
      "pdq", "Print the PDQ perceptual hash and quality (0-100) of each image: HASH QUALITY PATH");
  auto opts = std::make_shared<PdqOptions>();
  cmd->add_option("IN", opts->inputs,
                  "Image files (JPEG, PNG, WebP, BMP, TIFF; type read from the bytes)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_flag("--json", opts->json,
                "Print one JSON object: {\"files\": [{path, hash, quality}]}");
  cmd->callback([&ctx, opts] { ctx.exit_code = run_pdq(ctx, *opts); });
}

}  // namespace synthgate::cli
