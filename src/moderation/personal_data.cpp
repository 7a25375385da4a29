#include "moderation/personal_data.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>

namespace synthgate::moderation {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

bool grouped_as(const std::vector<std::size_t>& inner,
                std::initializer_list<std::vector<std::size_t>> groupings) {
  if (inner.empty()) return true;
  for (const auto& g : groupings) {
    if (inner == g) return true;
  }
  return false;
}

bool every_four(const std::vector<std::size_t>& inner) {
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] != 4 * (i + 1)) return false;
  }
  return true;
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace

std::string_view kind_name(PersonalDataKind kind) {
  switch (kind) {
    case PersonalDataKind::kResidentId:
      return "resident_id";
    case PersonalDataKind::kMobileNumber:
      return "mobile_number";
    case PersonalDataKind::kBankCard:
      return "bank_card";
    case PersonalDataKind::kCreditCode:
      return "credit_code";
  }
  return "resident_id";
}

std::string_view action_name(PersonalDataAction action) {
  switch (action) {
    case PersonalDataAction::kMask:
      return "mask";
    case PersonalDataAction::kReview:
      return "review";
    case PersonalDataAction::kBlock:
      return "block";
  }
  return "block";
}

PersonalDataAction PersonalDataPolicy::action_for(PersonalDataKind kind) const {
  switch (kind) {
    case PersonalDataKind::kResidentId:
      return resident_id;
    case PersonalDataKind::kMobileNumber:
      return mobile_number;
    case PersonalDataKind::kBankCard:
      return bank_card;
    case PersonalDataKind::kCreditCode:
      return credit_code;
  }
  return PersonalDataAction::kBlock;
}

bool resident_id_valid(std::string_view id) {
  if (id.size() != 18 || !all_digits(id.substr(0, 17))) return false;
  const char last = id[17];
  if (!is_digit(last) && last != 'X' && last != 'x') return false;
  if (id[0] < '1' || id[0] > '9') return false;
  const auto num = [&id](std::size_t pos, std::size_t len) {
    int v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (id[i] - '0');
    return v;
  };
  const int year = num(6, 4), month = num(10, 2), day = num(12, 2);
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const int days = kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && leap(year) ? 1 : 0);
  if (day > days) return false;
  // MOD 11-2 (ISO 7064): weights 2^(17-i) mod 11; check = (12 - sum mod 11) mod 11, 10 = X.
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  const int check = (12 - sum % 11) % 11;
  return check == 10 ? (last == 'X' || last == 'x') : last == static_cast<char>('0' + check);
}

bool luhn_valid(std::string_view digits) {
  if (digits.size() < 13 || digits.size() > 19 || !all_digits(digits)) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool credit_code_valid(std::string_view code) {
  if (code.size() != 18) return false;
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  const auto value = [](char c) -> int {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const auto pos = kCreditAlphabet.find(c);
    return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
  };
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const int v = value(code[i]);
    if (v < 0) return false;
    sum += v * kWeights[i];
  }
  const int check = (31 - sum % 31) % 31;
  // The registration authority code (first character) is a digit or a letter of the set,
  // and the administrative division (positions 3-8) is six digits.
  if (!all_digits(code.substr(2, 6))) return false;
  return value(code[17]) == check;
}

bool mobile_number_valid(std::string_view digits) {
  return digits.size() == 11 && all_digits(digits) && digits[0] == '1' && digits[1] >= '3' &&
         digits[1] <= '9';
}

std::vector<PersonalDataMatch> find_personal_data(const NormalizedText& text) {
  std::vector<PersonalDataMatch> found;
  const auto& chars = text.chars;
  const auto ascii_alnum = [](char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z');
  };
  std::size_t i = 0;
  while (i < chars.size()) {
    if (!ascii_alnum(chars[i].code_point)) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < chars.size() && ascii_alnum(chars[end].code_point)) ++end;
    // Skipped separators join neighbours ("138 1234 5678", but also "共2人 13812345678"), so
    // candidates start and end at the run's edges or where a separator was skipped.
    std::vector<std::size_t> cuts{i};
    for (std::size_t k = i + 1; k < end; ++k) {
      if ((chars[k].flags & kAfterSeparator) != 0) cuts.push_back(k);
    }
    cuts.push_back(end);
    // Every candidate is 11 to 19 characters between two cuts; longest first, so a card is
    // not also read as a telephone number inside it.
    std::vector<std::pair<std::size_t, std::size_t>> candidates;
    for (std::size_t a = 0; a < cuts.size(); ++a) {
      for (std::size_t b = a + 1; b < cuts.size() && cuts[b] - cuts[a] <= 19; ++b) {
        if (cuts[b] - cuts[a] >= 11) candidates.emplace_back(cuts[a], cuts[b]);
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) {
      return x.second - x.first > y.second - y.first;
    });
    std::vector<bool> taken(end - i, false);
    for (const auto& [from, to] : candidates) {
      bool free = true;
      for (std::size_t k = from; k < to && free; ++k) free = !taken[k - i];
      if (!free) continue;
      std::string s;
      for (std::size_t k = from; k < to; ++k) s.push_back(static_cast<char>(chars[k].code_point));
      // Separators inside a number are accepted only in the groupings people write
      // ("138 1234 5678", "6222 0212 ..."), so dates and versions run together do not count.
      std::vector<std::size_t> inner;
      for (std::size_t k = from + 1; k < to; ++k) {
        if ((chars[k].flags & kAfterSeparator) != 0) inner.push_back(k - from);
      }
      std::optional<PersonalDataKind> kind;
      if (resident_id_valid(s) && grouped_as(inner, {{6}, {6, 14}, {6, 10, 14}})) {
        kind = PersonalDataKind::kResidentId;
      } else if (inner.empty() && credit_code_valid(s)) {
        kind = PersonalDataKind::kCreditCode;
      } else if (luhn_valid(s) && every_four(inner)) {
        kind = PersonalDataKind::kBankCard;
      } else if ((mobile_number_valid(s) && grouped_as(inner, {{3}, {3, 7}})) ||
                 (s.size() == 13 && s.starts_with("86") && mobile_number_valid(s.substr(2)) &&
                  grouped_as(inner, {{2}, {2, 5}, {2, 5, 9}}))) {
        kind = PersonalDataKind::kMobileNumber;
      }
      if (!kind) continue;
      for (std::size_t k = from; k < to; ++k) taken[k - i] = true;
      found.push_back({*kind, chars[from].source_begin, chars[to - 1].source_end});
    }
    i = end;
  }
  return found;
}

}  // namespace synthgate::moderation
