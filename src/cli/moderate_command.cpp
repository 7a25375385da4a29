// synthgate moderate text: the prompt and output check from the command line. The decision
// (block, review, pass) is the output, so every decision exits 0; exit 1 means the check
// itself could not run (an unreadable or malformed lexicon, missing character data).
#include <nlohmann/json.hpp>

#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "core/file_io.hpp"
#include "moderation/character_tables.hpp"
#include "moderation/hash_blocklist.hpp"
#include "moderation/image_moderation.hpp"
#include "moderation/lexicon.hpp"
#include "moderation/text_moderator.hpp"
#include "moderation/video_moderation.hpp"
#include "server/http_classifier.hpp"

namespace synthgate::cli {
namespace {

using moderation::TextDecision;

struct ModerateTextOptions {
  std::vector<std::string> lexicons;
  std::size_t gap = 3;
  bool json = false;
  bool jsonl = false;
  std::string classifier_url;
  unsigned classifier_timeout_ms = 1000;
  std::vector<std::string> classifier_categories;
};

Result<std::optional<server::HttpClassifier>> load_classifier(const ModerateTextOptions& opts) {
  if (opts.classifier_url.empty()) return std::optional<server::HttpClassifier>();
  auto policy = moderation::parse_classifier_policy(opts.classifier_categories);
  if (!policy) return fail(ErrorCode::kUsage, "--classifier-category " + policy.error().message);
  auto classifier = server::HttpClassifier::create(
      {opts.classifier_url, std::chrono::milliseconds(opts.classifier_timeout_ms), ""},
      std::move(*policy), nullptr);
  if (!classifier) return tl::unexpected(classifier.error());
  return std::optional<server::HttpClassifier>(std::move(*classifier));
}

nlohmann::json to_json(const TextDecision& d, std::string_view input) {
  auto matches = nlohmann::json::array();
  for (const auto& m : d.matches) {
    auto found_by = nlohmann::json::array();
    for (auto name : moderation::technique_names(m.techniques)) found_by.push_back(name);
    matches.push_back(
        {{"term", m.term},
         {"category", m.category},
         {"action", moderation::action_name(m.action)},
         {"start", m.start},
         {"end", m.end},
         {"found_by", m.personal_data ? nlohmann::json::array({"checksum"}) : found_by}});
  }
  nlohmann::json out{{"decision", moderation::decision_name(d.decision)}, {"matches", matches}};
  if (d.masked_text != input) out["masked_text"] = d.masked_text;
  return out;
}

std::string dump(const nlohmann::json& j) {
  // Hostile input may hold malformed UTF-8; the JSON says U+FFFD instead of failing.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::shared_ptr<const moderation::TextModerator>> load_moderator(
    const ModerateTextOptions& opts) {
  auto tables = moderation::load_character_tables({});
  if (!tables) return tl::unexpected(tables.error());
  std::vector<moderation::Lexicon> lexicons;
  for (const auto& path : opts.lexicons) {
    auto lexicon = moderation::read_lexicon_file(path);
    if (!lexicon) return tl::unexpected(lexicon.error());
    lexicons.push_back(std::move(*lexicon));
  }
  moderation::TextModerationOptions options;
  options.normalizer.max_separator_gap = opts.gap;
  return moderation::TextModerator::build(*tables, moderation::merge_lexicons(lexicons), options);
}

int run_text(CommandContext& ctx, const ModerateTextOptions& opts) {
  auto moderator = load_moderator(opts);
  if (!moderator) return report(ctx, moderator.error());
  const std::string input((std::istreambuf_iterator<char>(std::cin)),
                          std::istreambuf_iterator<char>());
  auto classifier = load_classifier(opts);
  if (!classifier) return report(ctx, classifier.error());
  moderation::ScanScratch scratch;
  if (auto s = (*moderator)->prepare(scratch); !s) return report(ctx, s.error());
  // The lexicon's decision, with the provider's classifier consulted too when configured.
  const auto check = [&](std::string_view text) -> Result<TextDecision> {
    auto d = (*moderator)->check(text, scratch);
    if (!d || !*classifier) return d;
    const auto outcome = (*classifier)->classify(text, "prompt");
    if (!outcome.unavailable_reason.empty()) {
      ctx.err << "synthgate: warning: " << outcome.unavailable_reason << "\n";
    }
    moderation::add_matches(*d, outcome.matches);
    return d;
  };
  if (opts.jsonl) {
    std::size_t start = 0;
    while (start < input.size()) {
      auto end = input.find('\n', start);
      if (end == std::string::npos) end = input.size();
      const std::string_view line = std::string_view(input).substr(start, end - start);
      start = end + 1;
      auto d = check(line);
      if (!d) return report(ctx, d.error());
      ctx.out << dump(to_json(*d, line)) << "\n";
    }
    return 0;
  }
  auto d = check(input);
  if (!d) return report(ctx, d.error());
  if (opts.json) {
    ctx.out << dump(to_json(*d, input)) << "\n";
    return 0;
  }
  ctx.out << moderation::decision_name(d->decision) << "\n";
  for (const auto& m : d->matches) {
    ctx.out << "  " << moderation::action_name(m.action) << " " << m.category << " " << m.term
            << " [" << m.start << ", " << m.end << ")";
    for (auto name : moderation::technique_names(m.techniques)) ctx.out << " " << name;
    ctx.out << "\n";
  }
  return 0;
}

struct ModerateImageOptions {
  std::string input;
  std::string blocklist;
  bool json = false;
};

int run_image(CommandContext& ctx, const ModerateImageOptions& opts) {
  std::vector<moderation::BlocklistEntry> entries;
  if (!opts.blocklist.empty()) {
    auto read = moderation::read_blocklist_file(opts.blocklist);
    if (!read) return report(ctx, read.error());
    entries = std::move(*read);
  }
  const moderation::HashBlocklist index(std::move(entries));
  auto bytes = read_file(opts.input);
  if (!bytes) return report(ctx, bytes.error());
  auto check = moderation::check_image(*bytes, index);
  if (!check) return report(ctx, with_context(check.error(), opts.input));
  auto matches = nlohmann::json::array();
  for (const auto& m : check->matches) {
    const auto& e = index.entries()[m.index];
    matches.push_back({{"hash", e.hash.hex()},
                       {"label", e.label},
                       {"distance", m.distance},
                       {"transform", moderation::dihedral_name(m.transform)}});
  }
  const nlohmann::json out{
      {"decision", check->decision},
      {"pdq", {{"hash", check->pdq.hash.hex()}, {"quality", check->pdq.quality}}},
      {"matches", matches}};
  if (opts.json) {
    ctx.out << dump(out) << "\n";
  } else {
    ctx.out << check->decision << " " << check->pdq.hash.hex() << " " << check->pdq.quality << "\n";
    for (const auto& m : check->matches) {
      ctx.out << "  distance " << m.distance << " " << moderation::dihedral_name(m.transform) << " "
              << index.entries()[m.index].label << "\n";
    }
  }
  return 0;
}

struct ModerateVideoOptions {
  std::string input;
  std::string blocklist;
  double interval = 1.0;
  std::size_t max_samples = 600;
  bool json = false;
};

int run_video(CommandContext& ctx, const ModerateVideoOptions& opts) {
  std::vector<moderation::BlocklistEntry> entries;
  if (!opts.blocklist.empty()) {
    auto read = moderation::read_blocklist_file(opts.blocklist);
    if (!read) return report(ctx, read.error());
    entries = std::move(*read);
  }
  const moderation::HashBlocklist index(std::move(entries));
  moderation::VideoSampling sampling;
  sampling.interval_seconds = opts.interval;
  sampling.max_samples = opts.max_samples;
  auto check = moderation::check_video(opts.input, index, sampling);
  if (!check) return report(ctx, with_context(check.error(), opts.input));
  auto matches = nlohmann::json::array();
  for (const auto& m : check->matches) {
    const auto& e = index.entries()[m.match.index];
    matches.push_back({{"seconds", m.seconds},
                       {"pdq", {{"hash", m.pdq.hash.hex()}, {"quality", m.pdq.quality}}},
                       {"hash", e.hash.hex()},
                       {"label", e.label},
                       {"distance", m.match.distance},
                       {"transform", moderation::dihedral_name(m.match.transform)}});
  }
  const nlohmann::json out{{"decision", check->decision},
                           {"frames_decoded", check->frames_decoded},
                           {"frames_sampled", check->frames_sampled},
                           {"frames_low_quality", check->frames_low_quality},
                           {"matches", matches}};
  if (opts.json) {
    ctx.out << dump(out) << "\n";
  } else {
    ctx.out << check->decision << " (" << check->frames_sampled << " frames sampled, "
            << check->frames_low_quality << " too flat to look up)\n";
    for (const auto& m : check->matches) {
      ctx.out << "  " << m.seconds << " s distance " << m.match.distance << " "
              << moderation::dihedral_name(m.match.transform) << " "
              << index.entries()[m.match.index].label << "\n";
    }
  }
  return 0;
}

}  // namespace

void add_moderate_command(CLI::App& app, CommandContext& ctx) {
  auto* cmd =
      app.add_subcommand("moderate", "Check text, images and video before they reach a user");
  cmd->require_subcommand(1);
  auto* text = cmd->add_subcommand(
      "text",
      "Check the text on stdin against lexicons and for personal data; prints the decision "
      "(block, review, pass) with every match");
  auto opts = std::make_shared<ModerateTextOptions>();
  text->add_option("--lexicon", opts->lexicons,
                   "Lexicon file (term<TAB>category<TAB>block|review|allow[<TAB>flags]); "
                   "repeat to merge several")
      ->check(CLI::ExistingFile);
  text->add_option("--gap", opts->gap, "Most separators skipped between two characters of a term")
      ->check(CLI::Range(0, 64));
  text->add_flag("--json", opts->json, "Print one JSON object");
  text->add_flag("--jsonl", opts->jsonl,
                 "Batch mode: one text per line in, one JSON decision per line out");
  text->add_option("--classifier", opts->classifier_url,
                   "Also ask the provider's classifier: POST {\"text\",\"stage\"} to this "
                   "http:// URL, expecting {\"scores\": {CATEGORY: 0..1}}");
  text->add_option("--classifier-timeout-ms", opts->classifier_timeout_ms,
                   "How long to wait for the classifier")
      ->check(CLI::Range(1, 600000));
  text->add_option("--classifier-category", opts->classifier_categories,
                   "NAME:REVIEW_AT:BLOCK_AT[:open|review|block]: the score thresholds of a "
                   "category and what an unavailable classifier means for it (open: pass); "
                   "NAME * covers the rest; default *:0.5:0.9:open. Repeatable");
  text->callback([&ctx, opts] { ctx.exit_code = run_text(ctx, *opts); });

  auto* image = cmd->add_subcommand(
      "image",
      "Hash the image (PDQ) and look it up in a blocklist of PDQ hashes (Hamming distance <= 31)");
  auto image_opts = std::make_shared<ModerateImageOptions>();
  image->add_option("IN", image_opts->input, "Image file (type read from the bytes)")
      ->required()
      ->check(CLI::ExistingFile);
  image
      ->add_option("--blocklist", image_opts->blocklist,
                   "File of PDQ hashes, one `HASH_HEX [LABEL]` per line")
      ->check(CLI::ExistingFile);
  image->add_flag("--json", image_opts->json,
                  "Print one JSON object: {decision, pdq: {hash, quality}, matches: [...]}");
  image->callback([&ctx, image_opts] { ctx.exit_code = run_image(ctx, *image_opts); });

  auto* video = cmd->add_subcommand(
      "video",
      "Hash sampled frames (PDQ; the first, one a second, the last) and look them up in a "
      "blocklist of PDQ hashes; a match reports the frame's time");
  auto video_opts = std::make_shared<ModerateVideoOptions>();
  video->add_option("IN", video_opts->input, "Video file (any container FFmpeg reads)")
      ->required()
      ->check(CLI::ExistingFile);
  video
      ->add_option("--blocklist", video_opts->blocklist,
                   "File of PDQ hashes, one `HASH_HEX [LABEL]` per line")
      ->check(CLI::ExistingFile);
  video->add_option("--interval", video_opts->interval, "Seconds between sampled frames")
      ->check(CLI::Range(0.04, 3600.0));
  video
      ->add_option("--max-frames", video_opts->max_samples,
                   "Most frames sampled; a longer video is sampled more sparsely")
      ->check(CLI::Range(2, 100000));
  video->add_flag("--json", video_opts->json,
                  "Print one JSON object: {decision, frames_decoded, frames_sampled, "
                  "frames_low_quality, matches: [{seconds, pdq, hash, label, distance, "
                  "transform}]}");
  video->callback([&ctx, video_opts] { ctx.exit_code = run_video(ctx, *video_opts); });
}

}  // namespace synthgate::cli
