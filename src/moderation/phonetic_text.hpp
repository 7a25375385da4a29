#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "moderation/character_tables.hpp"
#include "moderation/normalizer.hpp"

namespace synthgate::moderation {

// The normalised text read aloud: each ideograph becomes its toneless pinyin syllable, each
// Latin letter stays itself, anything else is a break. A term whose pinyin equals a run of
// this text is written in pinyin ("falungong"), in homophones, or in a mix.
// Every normalised character gives one unit (a letter, a syllable or a break), so unit i is
// NormalizedText::chars[i].
struct PhoneticText {
  enum UnitKind : std::uint8_t { kNone, kLatin, kSyllable };
  std::string bytes;
  std::vector<std::uint32_t> unit_offset;  // where each unit starts in `bytes`
  std::vector<UnitKind> kind;              // per unit

  // The unit holding byte `offset`; whether a unit starts at `offset` (or it is the end).
  std::uint32_t unit_at(std::size_t offset) const;
  bool unit_starts_at(std::size_t offset) const;
};

// Extends `out` with the normalised characters it has not seen yet (streams grow).
void extend_phonetic(const CharacterTables& tables, const NormalizedText& normalized,
                     PhoneticText& out, std::size_t& consumed_chars);

}  // namespace synthgate::moderation
