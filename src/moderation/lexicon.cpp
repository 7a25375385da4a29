#include "moderation/lexicon.hpp"

#include <fstream>
#include <iterator>

#include "moderation/utf8.hpp"

namespace synthgate::moderation {
namespace {

constexpr std::size_t kMaxTermBytes = 256;
constexpr std::size_t kMaxCategoryBytes = 64;

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto d = decode_utf8(s, i);
    if (!d.valid || d.code_point < 0x20 || d.code_point == 0x7F) return false;
    i += d.length;
  }
  return true;
}

}  // namespace

std::string_view action_name(TermAction action) {
  switch (action) {
    case TermAction::kAllow:
      return "allow";
    case TermAction::kReview:
      return "review";
    case TermAction::kBlock:
      return "block";
  }
  return "block";
}

Result<Lexicon> parse_lexicon(std::string_view text, std::string_view name) {
  Lexicon lexicon;
  std::size_t line_no = 0;
  std::size_t start = 0;
  if (text.starts_with("\xEF\xBB\xBF")) start = 3;  // a byte-order mark from Windows editors
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto where = std::string(name) + ":" + std::to_string(line_no);
    const auto bad = [&where](const std::string& why) {
      return fail(ErrorCode::kInvalidArgument, where + ": " + why);
    };
    std::vector<std::string_view> fields;
    std::size_t f = 0;
    while (true) {
      const auto tab = line.find('\t', f);
      fields.push_back(line.substr(f, tab == std::string_view::npos ? tab : tab - f));
      if (tab == std::string_view::npos) break;
      f = tab + 1;
    }
    if (fields.size() < 3 || fields.size() > 4) {
      return bad("expected term<TAB>category<TAB>action[<TAB>flags], got " +
                 std::to_string(fields.size()) + " field(s)");
    }
    LexiconEntry entry;
    if (fields[0].empty() || fields[0].size() > kMaxTermBytes || !valid_utf8(fields[0])) {
      return bad("term must be 1 to 256 bytes of UTF-8 text");
    }
    if (fields[1].empty() || fields[1].size() > kMaxCategoryBytes || !valid_utf8(fields[1])) {
      return bad("category must be 1 to 64 bytes of UTF-8 text");
    }
    entry.term = std::string(fields[0]);
    entry.category = std::string(fields[1]);
    if (fields[2] == "block") {
      entry.action = TermAction::kBlock;
    } else if (fields[2] == "review") {
      entry.action = TermAction::kReview;
    } else if (fields[2] == "allow") {
      entry.action = TermAction::kAllow;
    } else {
      return bad("action must be block, review or allow, not '" +
                 std::string(fields[2].substr(0, 32)) + "'");
    }
    if (fields.size() == 4) {
      std::string_view flags = fields[3];
      while (!flags.empty()) {
        const auto comma = flags.find(',');
        const auto flag = flags.substr(0, comma);
        if (flag == "initials") {
          entry.initials = true;
        } else if (flag == "no_phonetic") {
          entry.phonetic = false;
        } else if (!flag.empty()) {
          return bad("unknown flag '" + std::string(flag.substr(0, 32)) +
                     "' (initials, no_phonetic)");
        }
        flags = comma == std::string_view::npos ? std::string_view{} : flags.substr(comma + 1);
      }
    }
    entry.source = where;
    lexicon.entries.push_back(std::move(entry));
  }
  return lexicon;
}

Result<Lexicon> read_lexicon_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, "cannot read lexicon " + path.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_lexicon(text, path.filename().string());
}

Lexicon merge_lexicons(const std::vector<Lexicon>& lexicons) {
  Lexicon merged;
  for (const auto& l : lexicons) {
    merged.entries.insert(merged.entries.end(), l.entries.begin(), l.entries.end());
  }
  return merged;
}

}  // namespace synthgate::moderation
