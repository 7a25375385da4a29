#include "moderation/text_moderator.hpp"

#include <algorithm>
#include <unordered_map>

#include "moderation/utf8.hpp"

namespace synthgate::moderation {

std::string_view decision_name(Decision decision) {
  switch (decision) {
    case Decision::kPass:
      return "pass";
    case Decision::kReview:
      return "review";
    case Decision::kBlock:
      return "block";
  }
  return "block";
}

std::string_view action_name(MatchAction action) {
  switch (action) {
    case MatchAction::kMask:
      return "mask";
    case MatchAction::kReview:
      return "review";
    case MatchAction::kBlock:
      return "block";
  }
  return "block";
}

std::vector<std::string_view> technique_names(std::uint16_t techniques) {
  static constexpr std::pair<std::uint16_t, std::string_view> kNames[] = {
      {kTechFullWidth, "full_width"},
      {kTechStyled, "styled"},
      {kTechCase, "case"},
      {kTechTraditional, "traditional"},
      {kTechCompat, "compatibility"},
      {kTechZeroWidth, "zero_width"},
      {kTechSeparator, "separator"},
      {kTechRepeat, "repeat"},
      {kTechPinyin, "pinyin"},
      {kTechInitials, "initials"},
      {kTechHomophone, "homophone"}};
  std::vector<std::string_view> names;
  for (const auto& [bit, name] : kNames) {
    if ((techniques & bit) != 0) names.push_back(name);
  }
  if (names.empty()) names.emplace_back("exact");
  return names;
}

namespace {

// NormalizedChar flags to Technique bits. The fold flags map one to one; the "after" flags
// count only inside a match, not before its first character.
std::uint16_t techniques_of(const NormalizedText& text, std::size_t first, std::size_t last) {
  std::uint16_t t = 0;
  for (std::size_t i = first; i <= last; ++i) {
    const auto f = text.chars[i].flags;
    t = static_cast<std::uint16_t>(t | (f & 0x1FU));
    if ((f & kRepeatCollapsed) != 0) t = static_cast<std::uint16_t>(t | kTechRepeat);
    if (i == first) continue;
    if ((f & kAfterIgnorable) != 0) t = static_cast<std::uint16_t>(t | kTechZeroWidth);
    if ((f & kAfterSeparator) != 0) t = static_cast<std::uint16_t>(t | kTechSeparator);
  }
  return t;
}

}  // namespace

Result<std::shared_ptr<const TextModerator>> TextModerator::build(
    std::shared_ptr<const CharacterTables> tables, const Lexicon& lexicon,
    TextModerationOptions options) {
  std::shared_ptr<TextModerator> m(new TextModerator());
  m->tables_ = std::move(tables);
  m->options_ = options;
  m->entries_ = lexicon.entries;
  std::vector<std::string> literals;
  std::unordered_map<std::string, std::uint32_t> literal_index;
  std::vector<std::string> phonetic;
  std::unordered_map<std::string, std::uint32_t> phonetic_index;
  const auto add = [](std::vector<std::string>& list,
                      std::unordered_map<std::string, std::uint32_t>& index,
                      const std::string& literal) {
    auto [it, inserted] = index.emplace(literal, static_cast<std::uint32_t>(list.size()));
    if (inserted) list.push_back(literal);
    return it->second;
  };
  for (std::uint32_t e = 0; e < m->entries_.size(); ++e) {
    const auto& entry = m->entries_[e];
    const auto norm = normalize(*m->tables_, options.normalizer, entry.term);
    if (norm.chars.empty()) {
      return fail(ErrorCode::kInvalidArgument, entry.source + ": term '" + entry.term +
                                                   "' has no letters, digits or ideographs");
    }
    const auto id = add(literals, literal_index, norm.bytes);
    if (id >= m->literal_targets_.size()) m->literal_targets_.resize(id + 1);
    m->literal_targets_[id].push_back({e, false});
    if (entry.action == TermAction::kAllow) {
      m->longest_allow_bytes_ = std::max(m->longest_allow_bytes_, norm.bytes.size());
      continue;
    }
    // Pinyin is read from the term with its repeats kept ("时时彩" is "shishicai"); the
    // collapsed form is added below when it differs, as text collapses repeats too.
    auto spelled = options.normalizer;
    spelled.collapse_repeats = false;
    const auto full = normalize(*m->tables_, spelled, entry.term);
    std::string pinyin;
    std::string collapsed_pinyin;
    std::string initials;
    bool all_syllables = true;
    for (const auto& c : full.chars) {
      const auto s = m->tables_->pinyin(c.code_point);
      if (s.empty()) {
        all_syllables = false;
        break;
      }
      pinyin += s;
      initials.push_back(s[0]);
    }
    for (const auto& c : norm.chars) collapsed_pinyin += m->tables_->pinyin(c.code_point);
    if (!all_syllables) continue;
    const auto add_phonetic = [&](const std::string& literal) {
      const auto pid = add(phonetic, phonetic_index, literal);
      if (pid >= m->phonetic_entries_.size()) m->phonetic_entries_.resize(pid + 1);
      m->phonetic_entries_[pid].push_back(e);
    };
    if (entry.phonetic && full.chars.size() >= options.min_phonetic_syllables) {
      add_phonetic(pinyin);
      if (collapsed_pinyin != pinyin && norm.chars.size() >= options.min_phonetic_syllables) {
        add_phonetic(collapsed_pinyin);
      }
    }
    if (entry.initials && full.chars.size() >= 2) {
      // Typed initials are normalised like any text ("ZZF" reads "zf"): match that form.
      const auto typed = normalize(*m->tables_, options.normalizer, initials);
      const auto id_initials = add(literals, literal_index, typed.bytes);
      if (id_initials >= m->literal_targets_.size()) m->literal_targets_.resize(id_initials + 1);
      m->literal_targets_[id_initials].push_back({e, true});
    }
  }
  auto literal_db = TermDatabase::compile(literals);
  if (!literal_db) return tl::unexpected(literal_db.error());
  auto phonetic_db = TermDatabase::compile(phonetic);
  if (!phonetic_db) return tl::unexpected(phonetic_db.error());
  m->literals_ = std::move(*literal_db);
  m->phonetic_ = std::move(*phonetic_db);
  // A normalised literal has one code point per character it matches; a phonetic literal
  // at least one letter per unit (a Latin letter or a syllable).
  for (const auto& literal : literals) {
    const auto code_points =
        static_cast<std::size_t>(std::count_if(literal.begin(), literal.end(), [](char c) {
          return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
        }));
    m->longest_match_chars_ = std::max(m->longest_match_chars_, code_points);
  }
  for (const auto& literal : phonetic) {
    m->longest_match_chars_ = std::max(m->longest_match_chars_, literal.size());
  }
  return std::shared_ptr<const TextModerator>(std::move(m));
}

Status TextModerator::prepare(ScanScratch& scratch) const {
  if (auto s = scratch.prepare(*literals_); !s) return s;
  return scratch.prepare(*phonetic_);
}

std::unique_ptr<TextStream> TextModerator::open_stream() const {
  return std::make_unique<TextStream>(shared_from_this());
}

Result<TextDecision> TextModerator::check(std::string_view text, ScanScratch& scratch) const {
  TextStream stream(shared_from_this());
  if (auto r = stream.feed(text, scratch); !r) return tl::unexpected(r.error());
  if (auto r = stream.finish(scratch); !r) return tl::unexpected(r.error());
  return stream.decision();
}

Result<TextDecision> TextModerator::check(std::string_view text) const {
  ScanScratch scratch;
  if (auto s = prepare(scratch); !s) return tl::unexpected(s.error());
  return check(text, scratch);
}

TextStream::TextStream(std::shared_ptr<const TextModerator> moderator)
    : moderator_(std::move(moderator)),
      normalizer_(*moderator_->tables_, moderator_->options_.normalizer),
      literal_stream_(*moderator_->literals_),
      phonetic_stream_(*moderator_->phonetic_) {}

Status TextStream::scan_new(ScanScratch& scratch) {
  const auto& text = normalizer_.text();
  // Without phonetic terms there is nothing to read aloud.
  if (!moderator_->phonetic_->empty()) {
    extend_phonetic(*moderator_->tables_, text, phonetic_, phonetic_chars_);
  }
  std::vector<TermHit> hits;
  if (auto s = literal_stream_.scan(std::string_view(text.bytes).substr(literal_scanned_), scratch,
                                    hits);
      !s) {
    return s;
  }
  literal_scanned_ = text.bytes.size();
  auto retry_initials = std::move(deferred_initials_);
  deferred_initials_.clear();
  for (const auto& hit : retry_initials) add_literal_hit(hit);
  for (const auto& hit : hits) add_literal_hit(hit);
  hits.clear();
  if (auto s = phonetic_stream_.scan(std::string_view(phonetic_.bytes).substr(phonetic_scanned_),
                                     scratch, hits);
      !s) {
    return s;
  }
  phonetic_scanned_ = phonetic_.bytes.size();
  // Hits that ended at the end of the text so far are tried again now that more has come.
  auto retry = std::move(deferred_phonetic_);
  deferred_phonetic_.clear();
  for (const auto& hit : retry) add_phonetic_hit(hit);
  for (const auto& hit : hits) add_phonetic_hit(hit);
  return {};
}

void TextStream::add_match(TextMatch match, std::size_t normalized_end, std::uint32_t entry) {
  // One report per term and span: the first way that found it wins (literal before phonetic),
  // and a phonetic match overlapping a match of the same term adds nothing.
  auto& spans = seen_[entry];
  for (const auto& [b, e] : spans) {
    if (match.start < e && b < match.end) return;
  }
  spans.emplace_back(match.start, match.end);
  pending_.push_back({std::move(match), normalized_end});
}

namespace {

bool is_letter(const NormalizedChar& c) {
  return c.code_point >= U'a' && c.code_point <= U'z';
}

}  // namespace

// Initials stand for a term only as a word of their own ("zf", not the middle of "xzfy"); a
// skipped separator counts as a word edge. False, with the hit deferred, while a letter may
// still follow in the next chunk.
bool TextStream::initials_stand_alone(std::uint32_t first, std::uint32_t last, const TermHit& hit) {
  const auto& chars = normalizer_.text().chars;
  for (auto i = first; i <= last; ++i) {
    if (!is_letter(chars[i])) return false;  // typed as letters only
  }
  if (first > 0 && is_letter(chars[first - 1]) && (chars[first].flags & kAfterSeparator) == 0) {
    return false;
  }
  if (last + 1 == chars.size()) {
    if (!finishing_) deferred_initials_.push_back(hit);
    return finishing_;
  }
  return !is_letter(chars[last + 1]) || (chars[last + 1].flags & kAfterSeparator) != 0;
}

void TextStream::add_literal_hit(const TermHit& hit) {
  const auto& text = normalizer_.text();
  const auto first = text.char_at(hit.begin);
  const auto last = text.char_at(hit.end - 1);
  const auto start = text.chars[first].source_begin;
  const auto end = text.chars[last].source_end;
  const auto& targets = moderator_->literal_targets_[hit.id];
  const bool initials_ok =
      std::any_of(targets.begin(), targets.end(), [](const auto& t) { return t.initials; }) &&
      initials_stand_alone(first, last, hit);
  for (const auto& target : targets) {
    const auto& entry = moderator_->entries_[target.entry];
    if (target.initials && !initials_ok) continue;
    if (entry.action == TermAction::kAllow) {
      allowed_.emplace_back(start, end);
      continue;
    }
    auto how = techniques_of(text, first, last);
    if (target.initials) how = static_cast<std::uint16_t>(how | kTechInitials);
    TextMatch m{entry.term,
                entry.category,
                entry.action == TermAction::kBlock ? MatchAction::kBlock : MatchAction::kReview,
                start,
                end,
                how,
                false};
    add_match(std::move(m), hit.end, target.entry);
  }
}

void TextStream::add_phonetic_hit(const TermHit& hit) {
  const auto& p = phonetic_;
  // Whole letters and syllables only: "xian" must not match the end of "xi" + "an...".
  if (!p.unit_starts_at(hit.begin) || !p.unit_starts_at(hit.end)) return;
  const auto first = p.unit_at(hit.begin);
  const auto last = p.unit_at(hit.end - 1);
  bool latin = false;
  for (auto i = first; i <= last; ++i) latin = latin || p.kind[i] == PhoneticText::kLatin;
  const auto& text = normalizer_.text();
  // Pinyin typed in Latin letters must be a word of its own: "dubo" is not inside "dubois".
  // A skipped separator counts as a word edge.
  if (p.kind[first] == PhoneticText::kLatin && first > 0 &&
      p.kind[first - 1] == PhoneticText::kLatin &&
      (text.chars[first].flags & kAfterSeparator) == 0) {
    return;
  }
  const bool at_end = last + 1 == p.kind.size();
  if (p.kind[last] == PhoneticText::kLatin && at_end && !finishing_) {
    deferred_phonetic_.push_back(hit);  // a letter may still follow in the next chunk
    return;
  }
  if (p.kind[last] == PhoneticText::kLatin && !at_end && p.kind[last + 1] == PhoneticText::kLatin &&
      (text.chars[last + 1].flags & kAfterSeparator) == 0) {
    return;
  }
  const auto start = text.chars[first].source_begin;
  const auto end = text.chars[last].source_end;
  for (const auto e : moderator_->phonetic_entries_[hit.id]) {
    const auto& entry = moderator_->entries_[e];
    const std::uint16_t how = latin ? kTechPinyin : kTechHomophone;
    TextMatch m{entry.term,
                entry.category,
                entry.action == TermAction::kBlock ? MatchAction::kBlock : MatchAction::kReview,
                start,
                end,
                static_cast<std::uint16_t>(techniques_of(text, first, last) | how),
                false};
    // Held back as if it ended at the end of the text so far: conservative, and cheap.
    const std::size_t normalized_end = text.bytes.size();
    add_match(std::move(m), normalized_end, e);
  }
}

std::vector<TextMatch> TextStream::release(bool all) {
  std::vector<TextMatch> out;
  const auto size = normalizer_.text().bytes.size();
  std::vector<Pending> keep;
  for (auto& p : pending_) {
    // An allow-list term could still end later and cover this match: wait until it cannot.
    if (!all && p.normalized_end + moderator_->longest_allow_bytes_ > size) {
      keep.push_back(std::move(p));
      continue;
    }
    bool allowed = false;
    for (const auto& [b, e] : allowed_) {
      allowed = allowed || (b <= p.match.start && p.match.end <= e);
    }
    if (!allowed) out.push_back(std::move(p.match));
  }
  pending_ = std::move(keep);
  for (const auto& m : out) {
    decision_.matches.push_back(m);
    const auto d = m.action == MatchAction::kBlock    ? Decision::kBlock
                   : m.action == MatchAction::kReview ? Decision::kReview
                                                      : Decision::kPass;
    decision_.decision = std::max(decision_.decision, d);
  }
  return out;
}

Result<std::vector<TextMatch>> TextStream::feed(std::string_view chunk, ScanScratch& scratch) {
  source_.append(chunk);
  normalizer_.feed(chunk);
  if (auto s = scan_new(scratch); !s) return tl::unexpected(s.error());
  return release(false);
}

std::size_t TextStream::settled_bytes() const {
  const auto& chars = normalizer_.text().chars;
  const auto reach = moderator_->longest_match_chars_;
  std::size_t settled = 0;
  if (reach == 0) {
    settled = chars.empty() ? 0 : chars.back().source_end;
  } else if (chars.size() >= reach) {
    settled = chars[chars.size() - reach].source_begin;
  }
  for (const auto& p : pending_) settled = std::min<std::size_t>(settled, p.match.start);
  return settled;
}

Result<std::vector<TextMatch>> TextStream::finish(ScanScratch& scratch) {
  normalizer_.finish();
  finishing_ = true;
  if (auto s = scan_new(scratch); !s) return tl::unexpected(s.error());
  auto out = release(true);
  decision_.masked_text = source_;
  if (moderator_->options_.detect_personal_data) {
    const auto& policy = moderator_->options_.personal_data;
    for (const auto& found : find_personal_data(normalizer_.text())) {
      const auto action = policy.action_for(found.kind);
      TextMatch m{std::string(kind_name(found.kind)),
                  "personal_data",
                  action == PersonalDataAction::kBlock    ? MatchAction::kBlock
                  : action == PersonalDataAction::kReview ? MatchAction::kReview
                                                          : MatchAction::kMask,
                  found.source_begin,
                  found.source_end,
                  0,
                  true};
      out.push_back(m);
      decision_.matches.push_back(m);
      if (m.action == MatchAction::kBlock) decision_.decision = Decision::kBlock;
      if (m.action == MatchAction::kReview) {
        decision_.decision = std::max(decision_.decision, Decision::kReview);
      }
    }
    // Star out masked spans from the end, so earlier offsets stay valid.
    std::vector<const TextMatch*> masked;
    for (const auto& m : decision_.matches) {
      if (m.action == MatchAction::kMask) masked.push_back(&m);
    }
    std::sort(masked.begin(), masked.end(),
              [](const TextMatch* a, const TextMatch* b) { return a->start > b->start; });
    for (const auto* m : masked) {
      std::string stars;
      std::size_t i = m->start;
      while (i < m->end) {
        const auto d = decode_utf8(source_, i);
        const auto entry = moderator_->tables_->lookup(d.code_point);
        stars += entry.char_class == CharClass::kContent ? std::string("*")
                                                         : source_.substr(i, d.length);
        i += d.length;
      }
      decision_.masked_text.replace(m->start, m->end - m->start, stars);
    }
  }
  return out;
}

}  // namespace synthgate::moderation
