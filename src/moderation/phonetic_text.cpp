#include "moderation/phonetic_text.hpp"

#include <algorithm>

#include "moderation/reserve.hpp"

namespace synthgate::moderation {

std::uint32_t PhoneticText::unit_at(std::size_t offset) const {
  const auto after = std::upper_bound(unit_offset.begin(), unit_offset.end(), offset);
  return static_cast<std::uint32_t>(after - unit_offset.begin() - 1);
}

bool PhoneticText::unit_starts_at(std::size_t offset) const {
  if (offset >= bytes.size()) return offset == bytes.size();
  return unit_offset[unit_at(offset)] == offset;
}

void extend_phonetic(const CharacterTables& tables, const NormalizedText& normalized,
                     PhoneticText& out, std::size_t& consumed_chars) {
  const auto count = normalized.chars.size();
  // Syllables average about four letters.
  reserve_for_append(out.bytes, 4 * (count - consumed_chars));
  reserve_for_append(out.unit_offset, count - consumed_chars);
  reserve_for_append(out.kind, count - consumed_chars);
  for (; consumed_chars < count; ++consumed_chars) {
    out.unit_offset.push_back(static_cast<std::uint32_t>(out.bytes.size()));
    const char32_t cp = normalized.chars[consumed_chars].code_point;
    if (cp >= U'a' && cp <= U'z') {
      out.bytes.push_back(static_cast<char>(cp));
      out.kind.push_back(PhoneticText::kLatin);
      continue;
    }
    const auto syllable = tables.pinyin(cp);
    if (syllable.empty()) {
      out.bytes.push_back('\n');
      out.kind.push_back(PhoneticText::kNone);
      continue;
    }
    out.bytes.append(syllable);
    out.kind.push_back(PhoneticText::kSyllable);
  }
}

}  // namespace synthgate::moderation
