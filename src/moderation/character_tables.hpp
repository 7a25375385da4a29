#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::moderation {

// Where the character data comes from: Debian's unicode-data (UnicodeData.txt,
// CaseFolding.txt, Unihan_*.txt.bz2) and OpenCC's dictionaries, reached through libopencc by
// the name of a conversion config.
struct CharacterDataSources {
  std::filesystem::path unicode_dir = "/usr/share/unicode";
  std::string opencc_config = "t2s.json";  // empty: Unihan variants only
};

// What folding did to a character, so a match can say which normalisation found it.
enum FoldFlag : std::uint8_t {
  kFoldFullWidth = 1U << 0,    // <wide>/<narrow> forms
  kFoldStyled = 1U << 1,       // circled, mathematical, super/subscript, dingbat digits
  kFoldCase = 1U << 2,         // case folding
  kFoldTraditional = 1U << 3,  // traditional or variant form to simplified
  kFoldCompat = 1U << 4,       // other compatibility and canonical decompositions
};

enum class CharClass : std::uint8_t {
  kContent,    // letters, digits, ideographs: what terms are made of
  kSeparator,  // punctuation, symbols, spaces: skipped between term characters
  kIgnorable,  // format characters (zero-width, bidi controls), variation selectors, marks
};

// The flat per-code-point tables the normaliser reads on the hot path. Built once at load
// (about a second); immutable and shared by every request afterwards.
class CharacterTables {
 public:
  struct Entry {
    char32_t folded;
    CharClass char_class;
    std::uint8_t fold_flags;
  };

  // Inline: the normaliser calls these once per character.
  Entry lookup(char32_t cp) const {
    if (cp < kCovered) return {folded_[cp], static_cast<CharClass>(class_[cp]), flags_[cp]};
    if ((cp >= 0xE0000 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF)) {
      return {cp, CharClass::kIgnorable, 0};
    }
    return {cp, CharClass::kContent, 0};
  }
  // Toneless pinyin of the character's first kMandarin reading ("shuo"); empty when none.
  std::string_view pinyin(char32_t cp) const {
    if (cp >= kCovered) return {};
    return syllables_[reading_[cp]];
  }

  // For tests and tools: tables with the given entries only (identity elsewhere).
  static CharacterTables from_entries_for_testing(
      const std::vector<std::pair<char32_t, Entry>>& entries,
      const std::vector<std::pair<char32_t, std::string>>& readings);

  // Number of code points the flat arrays cover; above it everything is identity content,
  // except the tag and variation-selector blocks, which are ignorable.
  static constexpr char32_t kCovered = 0x32000;

 private:
  friend Result<std::shared_ptr<const CharacterTables>> load_character_tables(
      const CharacterDataSources& sources);
  CharacterTables();

  std::vector<char32_t> folded_;
  std::vector<std::uint8_t> class_;
  std::vector<std::uint8_t> flags_;
  std::vector<std::uint16_t> reading_;  // index into syllables_, 0 = none
  std::vector<std::string> syllables_;
};

Result<std::shared_ptr<const CharacterTables>> load_character_tables(
    const CharacterDataSources& sources);

}  // namespace synthgate::moderation
