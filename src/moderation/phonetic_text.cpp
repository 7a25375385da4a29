#include "moderation/phonetic_text.hpp"

namespace synthgate::moderation {

void extend_phonetic(const CharacterTables& tables, const NormalizedText& normalized,
                     PhoneticText& out, std::size_t& consumed_chars) {
  const auto push = [&out](char c, std::uint32_t index, bool start, PhoneticText::UnitKind k) {
    out.bytes.push_back(c);
    out.char_at_byte.push_back(index);
    out.unit_start.push_back(start ? 1 : 0);
    out.kind.push_back(k);
  };
  for (; consumed_chars < normalized.chars.size(); ++consumed_chars) {
    const auto index = static_cast<std::uint32_t>(consumed_chars);
    const char32_t cp = normalized.chars[consumed_chars].code_point;
    if (cp >= U'a' && cp <= U'z') {
      push(static_cast<char>(cp), index, true, PhoneticText::kLatin);
      continue;
    }
    const auto syllable = tables.pinyin(cp);
    if (syllable.empty()) {
      push('\n', index, true, PhoneticText::kNone);
      continue;
    }
    for (std::size_t i = 0; i < syllable.size(); ++i) {
      push(syllable[i], index, i == 0, PhoneticText::kSyllable);
    }
  }
}

}  // namespace synthgate::moderation
