#include "moderation/normalizer.hpp"

#include <algorithm>

#include "moderation/reserve.hpp"
#include "moderation/utf8.hpp"

namespace synthgate::moderation {

std::uint32_t NormalizedText::char_at(std::size_t offset) const {
  const auto after =
      std::upper_bound(chars.begin(), chars.end(), offset,
                       [](std::size_t o, const NormalizedChar& c) { return o < c.offset; });
  return static_cast<std::uint32_t>(after - chars.begin() - 1);
}

Normalizer::Normalizer(const CharacterTables& tables, NormalizerOptions options)
    : tables_(tables), options_(options) {}

void Normalizer::feed(std::string_view chunk) {
  std::string joined;
  std::string_view text = chunk;
  std::uint32_t base = offset_;
  if (!partial_.empty()) {
    joined = partial_ + std::string(chunk);
    base = offset_ - static_cast<std::uint32_t>(partial_.size());
    partial_.clear();
    text = joined;
  }
  // Most input is content: reserving for all of it saves the reallocations of a request.
  reserve_for_append(out_.bytes, text.size());
  reserve_for_append(out_.chars, text.size() / 2 + 1);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto need = utf8_sequence_length(static_cast<unsigned char>(text[pos]));
    if (pos + need > text.size() && need > 1) {
      // Keep a sequence cut at the end of the chunk if what we have of it is well formed.
      bool prefix_ok = true;
      for (std::size_t i = pos + 1; i < text.size(); ++i) {
        prefix_ok = prefix_ok && (static_cast<unsigned char>(text[i]) & 0xC0U) == 0x80U;
      }
      if (prefix_ok) {
        partial_ = std::string(text.substr(pos));
        break;
      }
    }
    const auto d = decode_utf8(text, pos);
    process(d.code_point, base + static_cast<std::uint32_t>(pos),
            base + static_cast<std::uint32_t>(pos + d.length));
    pos += d.length;
  }
  offset_ += static_cast<std::uint32_t>(chunk.size());
}

void Normalizer::finish() {
  if (partial_.empty()) return;
  const auto begin = offset_ - static_cast<std::uint32_t>(partial_.size());
  for (std::uint32_t i = 0; i < partial_.size(); ++i) process(0xFFFD, begin + i, begin + i + 1);
  partial_.clear();
}

void Normalizer::process(char32_t cp, std::uint32_t begin, std::uint32_t end) {
  const auto entry = tables_.lookup(cp);
  if (entry.char_class == CharClass::kIgnorable) {
    ignorable_ = true;
    return;
  }
  if (entry.char_class == CharClass::kSeparator) {
    ++separators_;
    return;
  }
  auto flags = entry.fold_flags;
  if (ignorable_) flags = static_cast<std::uint8_t>(flags | kAfterIgnorable);
  const bool long_gap = separators_ > options_.max_separator_gap;
  if (separators_ > 0 && !long_gap) flags = static_cast<std::uint8_t>(flags | kAfterSeparator);
  separators_ = 0;
  ignorable_ = false;
  if (long_gap && !out_.chars.empty()) {
    out_.chars.push_back({kBreak, begin, begin, static_cast<std::uint32_t>(out_.bytes.size()), 0});
    out_.bytes.push_back('\n');
  }
  // Digits are never collapsed: "13800000000" must stay a telephone number.
  const bool digit = entry.folded >= U'0' && entry.folded <= U'9';
  if (options_.collapse_repeats && !digit && !out_.chars.empty() &&
      out_.chars.back().code_point == entry.folded) {
    auto& last = out_.chars.back();
    last.source_end = end;
    last.flags = static_cast<std::uint8_t>(last.flags | kRepeatCollapsed | (flags & 0x1F));
    return;
  }
  out_.chars.push_back(
      {entry.folded, begin, end, static_cast<std::uint32_t>(out_.bytes.size()), flags});
  append_utf8(out_.bytes, entry.folded);
}

NormalizedText normalize(const CharacterTables& tables, const NormalizerOptions& options,
                         std::string_view text) {
  Normalizer n(tables, options);
  n.feed(text);
  n.finish();
  return n.text();
}

}  // namespace synthgate::moderation
