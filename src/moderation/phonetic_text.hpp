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
struct PhoneticText {
  enum UnitKind : std::uint8_t { kNone, kLatin, kSyllable };
  std::string bytes;
  std::vector<std::uint32_t> char_at_byte;  // index into NormalizedText::chars
  std::vector<std::uint8_t> unit_start;     // 1 where a letter or syllable begins
  std::vector<std::uint8_t> kind;           // UnitKind of the unit the byte belongs to
};

// Extends `out` with the normalised characters it has not seen yet (streams grow).
void extend_phonetic(const CharacterTables& tables, const NormalizedText& normalized,
                     PhoneticText& out, std::size_t& consumed_chars);

}  // namespace synthgate::moderation
