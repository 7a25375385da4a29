// The evasion suite: the suite's own lexicon (tests/data/moderation/evasion-lexicon.tsv)
// written the ways users evade keyword filters, embedded in ordinary sentences. Prints
// recall per technique and asserts at least 95% for each; then asserts at most 0.5% false
// positives on at least 2,000 ordinary Chinese sentences from the Debian Reference
// (Simplified Chinese, Debian package debian-reference-zh-cn).
#include <gtest/gtest.h>
#include <opencc.h>
#include <zlib.h>

#include <cstdio>
#include <map>
#include <random>

#include "moderation/text_moderator.hpp"
#include "moderation/utf8.hpp"
#include "shared_tables.hpp"

#ifndef SYNTHGATE_TEST_DATA_DIR
#error "SYNTHGATE_TEST_DATA_DIR must point at tests/data"
#endif

namespace synthgate::moderation {
namespace {

const std::filesystem::path kLexicon =
    std::filesystem::path(SYNTHGATE_TEST_DATA_DIR) / "moderation" / "evasion-lexicon.tsv";
const std::filesystem::path kProse = "/usr/share/debian-reference/debian-reference.zh-cn.txt.gz";

std::u32string decode(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto d = decode_utf8(s, i);
    out.push_back(d.code_point);
    i += d.length;
  }
  return out;
}

std::string encode(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

bool is_han(char32_t c) {
  return c >= 0x4E00 && c <= 0x9FFF;
}

class EvasionSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto lexicon = read_lexicon_file(kLexicon);
    ASSERT_TRUE(lexicon) << lexicon.error().message;
    lexicon_ = new Lexicon(*lexicon);
    auto built = TextModerator::build(testing::shared_tables(), *lexicon, {});
    ASSERT_TRUE(built) << built.error().message;
    moderator_ = new std::shared_ptr<const TextModerator>(*built);
  }
  static void TearDownTestSuite() {
    delete lexicon_;
    delete moderator_;
  }
  static Lexicon* lexicon_;
  static std::shared_ptr<const TextModerator>* moderator_;
};
Lexicon* EvasionSuite::lexicon_ = nullptr;
std::shared_ptr<const TextModerator>* EvasionSuite::moderator_ = nullptr;

// Writes each term the way one technique disguises it; an empty string when the technique
// does not apply to the term (no Latin letters to widen, too short for pinyin, ...).
class Disguise {
 public:
  explicit Disguise(const CharacterTables& tables) : tables_(tables) {
    converter_ = opencc_open("s2t.json");
    for (char32_t c = 0x4E00; c <= 0x9FA5; ++c) {
      const auto s = tables_.pinyin(c);
      if (!s.empty() && tables_.lookup(c).folded == c) by_sound_[std::string(s)].push_back(c);
    }
  }
  ~Disguise() {
    if (converter_ != reinterpret_cast<opencc_t>(-1)) opencc_close(converter_);
  }

  std::string apply(const std::string& technique, const LexiconEntry& entry) {
    const auto term = decode(entry.term);
    bool latin = false;
    bool all_han = true;
    for (char32_t c : term) {
      latin = latin || (c < 0x80);
      all_han = all_han && is_han(c);
    }
    if (technique == "traditional") {
      char* t = opencc_convert_utf8(converter_, entry.term.data(), entry.term.size());
      std::string out(t);
      opencc_convert_utf8_free(t);
      return out == entry.term ? std::string() : out;
    }
    if (technique == "full_width" || technique == "styled") {
      if (!latin) return {};
      std::u32string out;
      for (char32_t c : term) {
        if (c >= U'A' && c <= U'Z') {
          out.push_back(technique == "full_width" ? c - U'A' + 0xFF21
                                                  : (pick(2) != 0U ? c - U'A' + 0x1D400    // bold
                                                                   : c - U'A' + 0x24B6));  // Ⓐ
        } else if (c >= U'0' && c <= U'9') {
          out.push_back(technique == "full_width" ? c - U'0' + 0xFF10 : c - U'0' + 0x1D7CE);
        } else {
          out.push_back(c);
        }
      }
      return encode(out);
    }
    if (technique == "inserted_symbols" || technique == "zero_width") {
      static const std::u32string kSymbols = U"@#*-_.·、 ~!&/|";
      static const std::u32string kInvisible = U"\u200b\u200c\u200d\ufeff\u2060\u00ad";
      const auto& set = technique == "zero_width" ? kInvisible : kSymbols;
      std::u32string out;
      for (std::size_t i = 0; i < term.size(); ++i) {
        if (i > 0) {
          const auto n = 1 + pick(technique == "zero_width" ? 2 : 3);
          for (std::size_t k = 0; k < n; ++k) out.push_back(set[pick(set.size())]);
        }
        out.push_back(term[i]);
      }
      return encode(out);
    }
    if (technique == "repeats") {
      std::u32string out;
      // Digits are never collapsed (they carry numbers), so only other characters repeat.
      for (char32_t c : term) out.append(c >= U'0' && c <= U'9' ? 1 : 1 + pick(3), c);
      return encode(out) == entry.term ? encode(term + term.substr(term.size() - 1)) : encode(out);
    }
    if (technique == "pinyin" || technique == "homophones" || technique == "initials") {
      if (!all_han) return {};
      if (technique == "initials" && !entry.initials) return {};
      if (technique != "initials" && (!entry.phonetic || term.size() < 3)) return {};
      std::string out;
      std::u32string homophones;
      for (std::size_t i = 0; i < term.size(); ++i) {
        const std::string s(tables_.pinyin(term[i]));
        if (technique == "initials") {
          out.push_back(static_cast<char>(s[0] - 'a' + 'A'));
        } else if (technique == "pinyin") {
          if (i > 0 && pick(2) != 0U) out.push_back(' ');
          out += s;
        } else {
          const auto& same = by_sound_[s];
          char32_t other = term[i];
          for (int tries = 0; tries < 20 && other == term[i]; ++tries)
            other = same[pick(same.size())];
          homophones.push_back(other);
        }
      }
      return technique == "homophones" ? encode(homophones) : " " + out + " ";
    }
    return {};
  }

 private:
  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  const CharacterTables& tables_;
  opencc_t converter_;
  std::mt19937 rng_{20260110};
  std::map<std::string, std::u32string> by_sound_;
};

TEST_F(EvasionSuite, RecallOfEveryTechniqueIsAtLeast95Percent) {
  const std::vector<std::string> techniques = {"traditional",      "full_width", "styled",
                                               "inserted_symbols", "zero_width", "repeats",
                                               "pinyin",           "initials",   "homophones"};
  const std::vector<std::pair<std::string, std::string>> carriers = {
      {"我听说", "的事情了吗"}, {"请问", "在哪里可以找到？"}, {"他一直在聊", "，你怎么看"}};
  Disguise disguise(*testing::shared_tables());
  std::printf("\n%-18s %6s %6s %8s\n", "technique", "cases", "found", "recall");
  for (const auto& technique : techniques) {
    std::size_t cases = 0, found = 0;
    for (const auto& entry : lexicon_->entries) {
      if (entry.action == TermAction::kAllow) continue;
      for (const auto& [before, after] : carriers) {
        const auto disguised = disguise.apply(technique, entry);
        if (disguised.empty()) continue;
        ++cases;
        auto d = (*moderator_)->check(before + disguised + after);
        ASSERT_TRUE(d);
        bool hit = false;
        for (const auto& m : d->matches) hit = hit || m.term == entry.term;
        if (hit) {
          ++found;
        } else {
          std::printf("  missed (%s): %s%s%s\n", technique.c_str(), before.c_str(),
                      disguised.c_str(), after.c_str());
        }
      }
    }
    const double recall =
        cases == 0 ? 0.0 : 100.0 * static_cast<double>(found) / static_cast<double>(cases);
    std::printf("%-18s %6zu %6zu %7.1f%%\n", technique.c_str(), cases, found, recall);
    EXPECT_GE(cases, 6U) << technique;
    EXPECT_GE(recall, 95.0) << technique;
  }
}

std::vector<std::string> ordinary_sentences() {
  std::vector<std::string> sentences;
  gzFile file = gzopen(kProse.c_str(), "rb");
  if (file == nullptr) return sentences;
  std::string text;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<std::size_t>(n));
  gzclose(file);
  // Sentences end at 。！？ or a line end; tables (lines with '|') are left out, and a
  // sentence needs at least eight ideographs to count as Chinese prose.
  std::u32string current;
  const auto flush = [&] {
    std::size_t han = 0;
    bool table = false;
    for (char32_t c : current) {
      han += is_han(c) ? 1U : 0U;
      table = table || c == U'|';
    }
    if (han >= 8 && !table) sentences.push_back(encode(current));
    current.clear();
  };
  for (char32_t c : decode(text)) {
    if (c == U'。' || c == U'！' || c == U'？' || c == U'\n') {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return sentences;
}

TEST_F(EvasionSuite, FalsePositivesOnOrdinaryChineseAreAtMostHalfAPercent) {
  const auto sentences = ordinary_sentences();
  ASSERT_GE(sentences.size(), 2000U)
      << kProse << " is missing or short: install debian-reference-zh-cn (scripts/install-deps.sh)";
  std::size_t flagged = 0;
  for (const auto& s : sentences) {
    auto d = (*moderator_)->check(s);
    ASSERT_TRUE(d);
    if (d->decision != Decision::kPass) {
      ++flagged;
      std::printf("  flagged: %s (%s)\n", s.c_str(), d->matches[0].term.c_str());
    }
  }
  const double rate = 100.0 * static_cast<double>(flagged) / static_cast<double>(sentences.size());
  std::printf("false positives: %zu of %zu ordinary sentences (%.2f%%)\n", flagged,
              sentences.size(), rate);
  EXPECT_LE(rate, 0.5);
}

}  // namespace
}  // namespace synthgate::moderation
