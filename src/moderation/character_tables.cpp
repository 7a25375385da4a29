#include "moderation/character_tables.hpp"

#include <opencc.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "moderation/bzip2_file.hpp"
#include "moderation/utf8.hpp"

namespace synthgate::moderation {
namespace {

constexpr std::size_t kSize = CharacterTables::kCovered;

std::optional<char32_t> parse_hex(std::string_view s) {
  if (s.starts_with("U+")) s.remove_prefix(2);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
  if (ec != std::errc() || end != s.data() + s.size() || value > 0x10FFFF) return std::nullopt;
  return static_cast<char32_t>(value);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') f(line);
    start = end + 1;
  }
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kIo, "cannot read " + path.string() +
                                    " (Debian package unicode-data: scripts/install-deps.sh)");
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool is_alnum_category(std::string_view cat) {
  return cat.starts_with('L') || cat.starts_with('N');
}

// One row of UnicodeData.txt, as far as folding needs it.
struct UnicodeRow {
  std::string category;
  std::string tag;  // decomposition tag without brackets; empty for canonical
  std::vector<char32_t> decomposition;
  int digit = -1;  // numeric value when it is a single decimal digit
};

// Toneless pinyin: tone marks dropped, ü written v (the way pinyin input methods type it).
std::string toneless(std::string_view reading) {
  static const std::unordered_map<char32_t, char> kBase = {
      {U'ā', 'a'}, {U'á', 'a'}, {U'ǎ', 'a'}, {U'à', 'a'}, {U'ē', 'e'}, {U'é', 'e'},
      {U'ě', 'e'}, {U'è', 'e'}, {U'ê', 'e'}, {U'ī', 'i'}, {U'í', 'i'}, {U'ǐ', 'i'},
      {U'ì', 'i'}, {U'ō', 'o'}, {U'ó', 'o'}, {U'ǒ', 'o'}, {U'ò', 'o'}, {U'ū', 'u'},
      {U'ú', 'u'}, {U'ǔ', 'u'}, {U'ù', 'u'}, {U'ü', 'v'}, {U'ǖ', 'v'}, {U'ǘ', 'v'},
      {U'ǚ', 'v'}, {U'ǜ', 'v'}, {U'ń', 'n'}, {U'ň', 'n'}, {U'ǹ', 'n'}, {U'ḿ', 'm'}};
  std::string out;
  for (std::size_t i = 0; i < reading.size();) {
    const auto d = decode_utf8(reading, i);
    i += d.length;
    if (d.code_point < 0x80) {
      if (d.code_point >= 'a' && d.code_point <= 'z')
        out.push_back(static_cast<char>(d.code_point));
    } else if (auto it = kBase.find(d.code_point); it != kBase.end()) {
      out.push_back(it->second);
    }
  }
  return out;
}

}  // namespace

CharacterTables::CharacterTables()
    : folded_(kSize), class_(kSize, 0), flags_(kSize, 0), reading_(kSize, 0), syllables_(1) {
  for (std::size_t i = 0; i < kSize; ++i) folded_[i] = static_cast<char32_t>(i);
}

CharacterTables CharacterTables::from_entries_for_testing(
    const std::vector<std::pair<char32_t, Entry>>& entries,
    const std::vector<std::pair<char32_t, std::string>>& readings) {
  CharacterTables t;
  for (const auto& [cp, e] : entries) {
    t.folded_[cp] = e.folded;
    t.class_[cp] = static_cast<std::uint8_t>(e.char_class);
    t.flags_[cp] = e.fold_flags;
  }
  for (const auto& [cp, r] : readings) {
    t.syllables_.push_back(r);
    t.reading_[cp] = static_cast<std::uint16_t>(t.syllables_.size() - 1);
  }
  return t;
}

Result<std::shared_ptr<const CharacterTables>> load_character_tables(
    const CharacterDataSources& sources) {
  auto unicode_data = read_file(sources.unicode_dir / "UnicodeData.txt");
  if (!unicode_data) return tl::unexpected(unicode_data.error());
  auto case_folding = read_file(sources.unicode_dir / "CaseFolding.txt");
  if (!case_folding) return tl::unexpected(case_folding.error());
  auto variants = read_bzip2_file(sources.unicode_dir / "Unihan_Variants.txt.bz2");
  if (!variants) return tl::unexpected(variants.error());
  auto readings = read_bzip2_file(sources.unicode_dir / "Unihan_Readings.txt.bz2");
  if (!readings) return tl::unexpected(readings.error());

  std::shared_ptr<CharacterTables> tables(new CharacterTables());
  std::unordered_map<char32_t, UnicodeRow> rows;
  std::vector<std::string> category(kSize);  // empty: unassigned
  std::optional<char32_t> range_first;
  for_each_line(*unicode_data, [&](std::string_view line) {
    const auto f = split(line, ';');
    if (f.size() < 15) return;
    const auto cp = parse_hex(f[0]);
    if (!cp) return;
    // Ideographs and other large blocks are listed as <..., First> / <..., Last> pairs.
    if (f[1].ends_with(", First>")) {
      range_first = *cp;
      return;
    }
    if (f[1].ends_with(", Last>") && range_first) {
      for (char32_t c = *range_first; c <= *cp && c < kSize; ++c) category[c] = std::string(f[2]);
      range_first.reset();
      return;
    }
    if (*cp < kSize) category[*cp] = std::string(f[2]);
    UnicodeRow row;
    row.category = std::string(f[2]);
    std::string_view decomposition = f[5];
    if (decomposition.starts_with('<')) {
      const auto close = decomposition.find('>');
      row.tag = std::string(decomposition.substr(1, close - 1));
      decomposition.remove_prefix(close + 1);
    }
    for (auto part : split(decomposition, ' ')) {
      if (auto d = parse_hex(part)) row.decomposition.push_back(*d);
    }
    if (f[8].size() == 1 && f[8][0] >= '0' && f[8][0] <= '9') row.digit = f[8][0] - '0';
    rows.emplace(*cp, std::move(row));
  });

  // One folding step per source: compatibility or canonical decomposition to one character,
  // case folding, traditional to simplified. Applied to a fixed point below.
  std::unordered_map<char32_t, std::pair<char32_t, std::uint8_t>> step;
  for (const auto& [cp, row] : rows) {
    if (cp >= kSize || cp < 0x80) continue;
    std::optional<char32_t> target;
    if (row.decomposition.size() == 1) {
      target = row.decomposition[0];
    } else if (!row.decomposition.empty()) {
      // "(5)", "5.", "(五)": keep the one letter or digit; canonical "e + accent": the base.
      std::vector<char32_t> alnum;
      for (char32_t d : row.decomposition) {
        const auto it = rows.find(d);
        const bool is_alnum = d < kSize && (is_alnum_category(category[d]));
        if (is_alnum || (it != rows.end() && is_alnum_category(it->second.category))) {
          alnum.push_back(d);
        }
      }
      if (row.tag.empty() || alnum.size() == 1)
        target = row.tag.empty() ? row.decomposition[0] : alnum[0];
    } else if (row.digit >= 0 && (row.category == "No" || row.category == "Nd")) {
      target = static_cast<char32_t>(U'0' + static_cast<char32_t>(row.digit));
    }
    if (!target || *target == cp) continue;
    std::uint8_t flag = kFoldCompat;
    if (row.tag == "wide" || row.tag == "narrow") {
      flag = kFoldFullWidth;
    } else if (row.tag == "font" || row.tag == "circle" || row.tag == "super" || row.tag == "sub" ||
               (row.decomposition.empty() && row.digit >= 0) ||
               (row.tag == "compat" && row.digit >= 0)) {
      flag = kFoldStyled;
    }
    step[cp] = {*target, flag};
  }
  for_each_line(*case_folding, [&](std::string_view line) {
    const auto f = split(line, ';');
    if (f.size() < 3) return;
    const auto status = f[1].substr(f[1].find_first_not_of(' '));
    if (status != "C" && status != "S") return;
    const auto from = parse_hex(f[0]);
    auto to_text = f[2].substr(f[2].find_first_not_of(' '));
    const auto to = parse_hex(to_text);
    if (!from || !to || *from >= kSize) return;
    if (!step.contains(*from)) step[*from] = {*to, kFoldCase};
  });

  // Traditional to simplified: OpenCC's character dictionary first (its converter run once
  // over every ideograph, one per line so no phrase spans two), Unihan's variants after.
  std::unordered_map<char32_t, char32_t> simplified;
  for_each_line(*variants, [&](std::string_view line) {
    const auto f = split(line, '\t');
    if (f.size() < 3 || f[1] != "kSimplifiedVariant") return;
    const auto cp = parse_hex(f[0]);
    if (!cp) return;
    std::vector<char32_t> targets;
    for (auto t : split(f[2], ' ')) {
      if (auto v = parse_hex(t)) targets.push_back(*v);
    }
    // A character that is its own simplified form in some uses stays as it is.
    bool self = false;
    for (char32_t t : targets) self = self || t == *cp;
    if (!self && !targets.empty()) simplified[*cp] = targets[0];
  });
  std::vector<char32_t> ideographs;
  for_each_line(*readings, [&](std::string_view line) {
    const auto f = split(line, '\t');
    if (f.size() < 3 || f[1] != "kMandarin") return;
    const auto cp = parse_hex(f[0]);
    if (!cp || *cp >= kSize) return;
    ideographs.push_back(*cp);
    const auto first = split(f[2], ' ')[0];
    const std::string syllable = toneless(first);
    if (syllable.empty()) return;
    auto& s = tables->syllables_;
    std::size_t index = 0;
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (s[i] == syllable) index = i;
    }
    if (index == 0) {
      s.push_back(syllable);
      index = s.size() - 1;
    }
    tables->reading_[*cp] = static_cast<std::uint16_t>(index);
  });
  if (!sources.opencc_config.empty()) {
    opencc_t cc = opencc_open(sources.opencc_config.c_str());
    if (cc == reinterpret_cast<opencc_t>(-1)) {
      return fail(ErrorCode::kConfig, "OpenCC cannot open " + sources.opencc_config +
                                          " (Debian package libopencc-data)");
    }
    std::string input;
    for (char32_t cp : ideographs) {
      append_utf8(input, cp);
      input.push_back('\n');
    }
    char* converted = opencc_convert_utf8(cc, input.data(), input.size());
    if (converted != nullptr) {
      const auto lines = split(converted, '\n');
      if (lines.size() >= ideographs.size()) {
        for (std::size_t i = 0; i < ideographs.size(); ++i) {
          const std::string_view l = lines[i];
          if (l.empty()) continue;
          const auto d = decode_utf8(l, 0);
          if (d.valid && d.length == l.size() && d.code_point != ideographs[i]) {
            simplified[ideographs[i]] = d.code_point;
          }
        }
      }
      opencc_convert_utf8_free(converted);
    }
    opencc_close(cc);
  }
  for (const auto& [from, to] : simplified) {
    if (from < kSize && !step.contains(from)) step[from] = {to, kFoldTraditional};
  }

  for (std::size_t i = 0; i < kSize; ++i) {
    char32_t cp = static_cast<char32_t>(i);
    std::uint8_t flags = 0;
    for (int round = 0; round < 6; ++round) {
      const auto it = step.find(cp);
      if (it == step.end()) break;
      cp = it->second.first;
      flags = static_cast<std::uint8_t>(flags | it->second.second);
    }
    // Case folding and simplification after a decomposition ("Ⓐ" to "A" to "a").
    tables->folded_[i] = cp;
    tables->flags_[i] = flags;
    const std::string& cat = cp < kSize ? category[cp] : category[i];
    CharClass cls = CharClass::kContent;
    if (cat == "Cf" || cat == "Mn" || cat == "Me") {
      cls = CharClass::kIgnorable;
    } else if (cat.starts_with('P') || cat.starts_with('S') || cat.starts_with('Z') ||
               cat == "Cc") {
      cls = CharClass::kSeparator;
    }
    tables->class_[i] = static_cast<std::uint8_t>(cls);
  }
  return std::shared_ptr<const CharacterTables>(std::move(tables));
}

}  // namespace synthgate::moderation
