#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::moderation {

enum class TermAction : std::uint8_t { kAllow, kReview, kBlock };

std::string_view action_name(TermAction action);

// One line of a lexicon file: `term<TAB>category<TAB>action[<TAB>flags]`.
// Categories name TC260-003 risks (e.g. "A.1.1"); action is block, review or allow (an
// allow-list term suppresses the matches it covers); flags is a comma list of
// `initials` (also match the pinyin initials, "zf") and `no_phonetic`.
struct LexiconEntry {
  std::string term;
  std::string category;
  TermAction action = TermAction::kBlock;
  bool initials = false;
  bool phonetic = true;
  std::string source;  // "file:line", for reports
};

struct Lexicon {
  std::vector<LexiconEntry> entries;
};

// Parses lexicon text; `name` prefixes error messages ("terms.tsv:12: ...").
// Lines that are empty or start with '#' are skipped.
Result<Lexicon> parse_lexicon(std::string_view text, std::string_view name);

Result<Lexicon> read_lexicon_file(const std::filesystem::path& path);

// Several lexicons as one: every entry kept (matching merges equal terms).
Lexicon merge_lexicons(const std::vector<Lexicon>& lexicons);

}  // namespace synthgate::moderation
