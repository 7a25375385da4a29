#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "moderation/character_tables.hpp"
#include "moderation/lexicon.hpp"
#include "moderation/normalizer.hpp"
#include "moderation/personal_data.hpp"
#include "moderation/phonetic_text.hpp"
#include "moderation/term_database.hpp"

namespace synthgate::moderation {

enum class Decision : std::uint8_t { kPass, kReview, kBlock };
std::string_view decision_name(Decision decision);

// Which normalisation let a match through; a match found in the text as written has none.
enum Technique : std::uint16_t {
  kTechFullWidth = 1U << 0,
  kTechStyled = 1U << 1,
  kTechCase = 1U << 2,
  kTechTraditional = 1U << 3,
  kTechCompat = 1U << 4,
  kTechZeroWidth = 1U << 5,
  kTechSeparator = 1U << 6,
  kTechRepeat = 1U << 7,
  kTechPinyin = 1U << 8,
  kTechInitials = 1U << 9,
  kTechHomophone = 1U << 10,
};
// "full_width", "styled", ...; {"exact"} when the mask is 0.
std::vector<std::string_view> technique_names(std::uint16_t techniques);

enum class MatchAction : std::uint8_t { kMask, kReview, kBlock };
std::string_view action_name(MatchAction action);

struct TextMatch {
  std::string term;      // the lexicon term, or the personal-data kind ("resident_id")
  std::string category;  // TC260-003 risk, or "personal_data"
  MatchAction action = MatchAction::kBlock;
  std::uint32_t start = 0;  // byte span in the original text
  std::uint32_t end = 0;
  std::uint16_t techniques = 0;
  bool personal_data = false;
};

struct TextDecision {
  Decision decision = Decision::kPass;
  std::vector<TextMatch> matches;
  // The text with every personal-data match whose action is mask starred out ("*" per
  // character); equal to the input when nothing was masked.
  std::string masked_text;
};

struct TextModerationOptions {
  NormalizerOptions normalizer;
  // Terms of fewer ideographs are matched by their characters only: two-syllable pinyin
  // collides with ordinary words far too often.
  std::size_t min_phonetic_syllables = 3;
  bool detect_personal_data = true;
  PersonalDataPolicy personal_data;
};

class TextStream;

// A compiled lexicon: immutable once built, shared by every request (and by streams still
// open when a newer lexicon replaces it).
class TextModerator : public std::enable_shared_from_this<TextModerator> {
 public:
  static Result<std::shared_ptr<const TextModerator>> build(
      std::shared_ptr<const CharacterTables> tables, const Lexicon& lexicon,
      TextModerationOptions options);

  Result<TextDecision> check(std::string_view text, ScanScratch& scratch) const;
  Result<TextDecision> check(std::string_view text) const;

  // A stream of chunks (model tokens); see TextStream.
  std::unique_ptr<TextStream> open_stream() const;

  // Makes `scratch` fit this moderator's databases (once per thread per lexicon).
  Status prepare(ScanScratch& scratch) const;

  std::size_t term_count() const { return entries_.size(); }
  const TextModerationOptions& options() const { return options_; }

 private:
  friend class TextStream;
  // A normalised literal stands for a term as written, or (for terms marked for it) for
  // the term's pinyin initials typed as letters ("zf"): letters are the same bytes in the
  // normalised text as in the phonetic one, and the initials are short and frequent, so they
  // are scanned with the literals, where ideographs cannot produce false hits.
  struct LiteralTarget {
    std::uint32_t entry;
    bool initials;
  };

  TextModerator() = default;

  std::shared_ptr<const CharacterTables> tables_;
  TextModerationOptions options_;
  std::vector<LexiconEntry> entries_;
  std::vector<std::vector<LiteralTarget>> literal_targets_;   // per normalised literal
  std::vector<std::vector<std::uint32_t>> phonetic_entries_;  // per phonetic literal
  std::unique_ptr<TermDatabase> literals_;
  std::unique_ptr<TermDatabase> phonetic_;
  std::size_t longest_allow_bytes_ = 0;
  // The most normalised characters one match can span (the longest literal in code points,
  // or the longest phonetic literal in letters).
  std::size_t longest_match_chars_ = 0;
};

// Moderation of text that arrives in pieces. Matches are reported once, when no longer
// allow-list term could still cover them (or at finish); a term split across chunks is found.
// Personal data is looked for at finish, over the whole text.
class TextStream {
 public:
  explicit TextStream(std::shared_ptr<const TextModerator> moderator);

  // The lexicon matches settled by this chunk.
  Result<std::vector<TextMatch>> feed(std::string_view chunk, ScanScratch& scratch);
  // The remaining matches, personal data included.
  Result<std::vector<TextMatch>> finish(ScanScratch& scratch);

  // Everything reported so far, with the decision it leads to.
  const TextDecision& decision() const { return decision_; }

  // How many bytes at the start of the text fed so far no lexicon match still to be
  // reported can touch: they may be shown before the stream ends. A match not yet reported
  // either waits in the pending list or ends at or after the last character, and so starts
  // at most longest-term characters back. Personal data is found only at finish.
  std::size_t settled_bytes() const;

 private:
  struct Pending {
    TextMatch match;
    std::size_t normalized_end;  // byte offset in the normalised text
  };
  Status scan_new(ScanScratch& scratch);
  std::vector<TextMatch> release(bool all);
  void add_phonetic_hit(const TermHit& hit);
  void add_literal_hit(const TermHit& hit);
  bool initials_stand_alone(std::uint32_t first, std::uint32_t last, const TermHit& hit);
  void add_match(TextMatch match, std::size_t normalized_end, std::uint32_t entry);

  std::shared_ptr<const TextModerator> moderator_;
  Normalizer normalizer_;
  PhoneticText phonetic_;
  std::size_t phonetic_chars_ = 0;
  TermStream literal_stream_;
  TermStream phonetic_stream_;
  std::size_t literal_scanned_ = 0;
  std::size_t phonetic_scanned_ = 0;
  std::string source_;  // the original text, for masking
  std::vector<Pending> pending_;
  // Hits ending in a letter at the end of the text so far, waiting to see what follows.
  std::vector<TermHit> deferred_phonetic_;
  std::vector<TermHit> deferred_initials_;
  bool finishing_ = false;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> allowed_;  // allow-list spans
  // Spans reported per lexicon entry.
  std::unordered_map<std::uint32_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>> seen_;
  TextDecision decision_;
};

}  // namespace synthgate::moderation
