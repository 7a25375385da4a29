#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "moderation/character_tables.hpp"

namespace synthgate::moderation {

struct NormalizerOptions {
  // Runs of at most this many separators between two characters are dropped ("傻@冒");
  // a longer run becomes a break that no term spans.
  std::size_t max_separator_gap = 3;
  bool collapse_repeats = true;  // "傻傻傻逼" reads as "傻逼"
};

// Bits of NormalizedChar::flags above the FoldFlag bits.
enum NormalizedFlag : std::uint8_t {
  kAfterIgnorable = 1U << 5,   // format characters (zero-width, ...) were removed before it
  kAfterSeparator = 1U << 6,   // separators were skipped before it
  kRepeatCollapsed = 1U << 7,  // repeats of it were collapsed into it
};

// The break written for a separator run longer than the gap; no term contains it.
inline constexpr char32_t kBreak = U'\n';

struct NormalizedChar {
  char32_t code_point;
  std::uint32_t source_begin;  // byte span in the original text
  std::uint32_t source_end;
  std::uint32_t offset;  // where its UTF-8 starts in NormalizedText::bytes
  std::uint8_t flags;    // FoldFlag | NormalizedFlag
};

// The normalised UTF-8 text and one entry per normalised character: how a match in the
// normalised text finds its original span. Offsets are kept per character, not per byte,
// and looked up only for matches, which are rare.
struct NormalizedText {
  std::string bytes;
  std::vector<NormalizedChar> chars;

  // The character whose UTF-8 holds byte `offset` of `bytes`.
  std::uint32_t char_at(std::size_t offset) const;
};

// Folds text as it arrives, so a token stream can be normalised chunk by chunk: a UTF-8
// sequence, a separator run or a repeat split across chunks comes out as if sent whole.
class Normalizer {
 public:
  Normalizer(const CharacterTables& tables, NormalizerOptions options);

  void feed(std::string_view chunk);
  void finish();  // an incomplete UTF-8 sequence at the very end becomes U+FFFD

  const NormalizedText& text() const { return out_; }

 private:
  void process(char32_t cp, std::uint32_t begin, std::uint32_t end);

  const CharacterTables& tables_;
  NormalizerOptions options_;
  NormalizedText out_;
  std::string partial_;       // bytes of a UTF-8 sequence cut by the chunk boundary
  std::uint32_t offset_ = 0;  // source offset of the next byte fed
  std::size_t separators_ = 0;
  bool ignorable_ = false;
};

// The whole text at once.
NormalizedText normalize(const CharacterTables& tables, const NormalizerOptions& options,
                         std::string_view text);

}  // namespace synthgate::moderation
