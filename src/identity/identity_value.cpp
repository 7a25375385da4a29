#include "identity/identity_value.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/credit_code.hpp"
#include "identity/division_codes.hpp"

namespace synthgate::identity {

namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

std::string normalize(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

// A birth date from year, month and day digits: a real calendar date, not in the future,
// not before 1880.
std::optional<year_month_day> birth_date(int y, std::string_view mmdd, year_month_day today,
                                         std::vector<std::string>& errors) {
  const year_month_day date{year(y), month(static_cast<unsigned>(number(mmdd.substr(0, 2)))),
                            day(static_cast<unsigned>(number(mmdd.substr(2, 2))))};
  if (!date.ok()) {
    errors.push_back("the birth date " + std::to_string(y) + "-" + std::string(mmdd.substr(0, 2)) +
                     "-" + std::string(mmdd.substr(2, 2)) + " is not a calendar date");
    return std::nullopt;
  }
  if (date > today) {
    errors.push_back("the birth date lies in the future");
    return std::nullopt;
  }
  if (y < 1880) {
    errors.push_back("the birth year " + std::to_string(y) + " is before 1880");
    return std::nullopt;
  }
  return date;
}

void check_division(std::string_view code, ValueCheck& out) {
  switch (match_division_code(code)) {
    case DivisionMatch::kCounty:
      return;
    case DivisionMatch::kPrefecture:
    case DivisionMatch::kProvince:
      out.warnings.push_back(
          "the address code " + std::string(code) +
          " is not in the bundled division list (1980-12 to 2019-04); only "
          "its " +
          (match_division_code(code) == DivisionMatch::kPrefecture ? "prefecture" : "province") +
          " is");
      return;
    case DivisionMatch::kUnknown:
      out.errors.push_back("the address code " + std::string(code) +
                           " names a province that no division list ever held");
      return;
  }
}

// 17 digits and a MOD 11-2 check character: resident IDs, HMT residence permits and the
// 2023 foreign permanent resident ID share this frame.
bool check_mod11_frame(const std::string& v, ValueCheck& out) {
  if (v.size() != 18) {
    out.errors.push_back("has " + std::to_string(v.size()) + " characters, not 18");
    return false;
  }
  if (!all_digits(std::string_view(v).substr(0, 17))) {
    out.errors.push_back("the first 17 characters must be digits");
    return false;
  }
  const char last = v[17];
  if (!(std::isdigit(static_cast<unsigned char>(last)) || last == 'X')) {
    out.errors.push_back("the check character must be a digit or X");
    return false;
  }
  const char expected = mod11_2_check(std::string_view(v).substr(0, 17));
  if (expected != last) {
    out.errors.push_back(std::string("the check character is ") + last + ", MOD 11-2 gives " +
                         expected);
  }
  return true;
}

ValueCheck check_resident_id(const std::string& v, year_month_day today) {
  ValueCheck out;
  out.kind = ValueKind::kResidentId;
  out.normalized = v;
  if (!check_mod11_frame(v, out)) return out;
  const std::string_view s(v);
  if (s.substr(2, 4) == "0000" &&
      (s.starts_with("81") || s.starts_with("82") || s.starts_with("83"))) {
    out.errors.push_back("address code " + v.substr(0, 6) +
                         " belongs to a Hong Kong, Macao or Taiwan residence permit");
  } else {
    check_division(s.substr(0, 6), out);
  }
  auto birth = birth_date(number(s.substr(6, 4)), s.substr(10, 4), today, out.errors);
  if (birth) {
    out.holder = HolderFacts{*birth, number(s.substr(14, 3)) % 2 == 1, v.substr(0, 6)};
  }
  out.valid = out.errors.empty();
  return out;
}

ValueCheck check_legacy_resident_id(const std::string& v, year_month_day today) {
  ValueCheck out;
  out.kind = ValueKind::kLegacyResidentId;
  out.normalized = v;
  if (v.size() != 15 || !all_digits(v)) {
    out.errors.push_back("a 15-character resident ID number has 15 digits");
    return out;
  }
  const std::string_view s(v);
  check_division(s.substr(0, 6), out);
  auto birth = birth_date(1900 + number(s.substr(6, 2)), s.substr(8, 4), today, out.errors);
  if (birth) out.holder = HolderFacts{*birth, number(s.substr(12, 3)) % 2 == 1, v.substr(0, 6)};
  out.warnings.push_back("a first-generation (15-digit) number has no check character");
  out.valid = out.errors.empty();
  return out;
}

ValueCheck check_hmt_permit(const std::string& v, year_month_day today) {
  ValueCheck out;
  out.kind = ValueKind::kHmtResidencePermit;
  out.normalized = v;
  if (!check_mod11_frame(v, out)) return out;
  const std::string_view s(v);
  if (s.substr(0, 6) != "810000" && s.substr(0, 6) != "820000" && s.substr(0, 6) != "830000") {
    out.errors.push_back(
        "a Hong Kong, Macao or Taiwan residence permit starts with 810000, "
        "820000 or 830000");
  }
  auto birth = birth_date(number(s.substr(6, 4)), s.substr(10, 4), today, out.errors);
  if (birth) out.holder = HolderFacts{*birth, number(s.substr(14, 3)) % 2 == 1, v.substr(0, 6)};
  out.valid = out.errors.empty();
  return out;
}

// 2023 edition: "9", acceptance province (2), nationality (3, ISO 3166-1 numeric), birth date
// (8), sequence (3), MOD 11-2 check character.
ValueCheck check_foreign_permanent(const std::string& v, year_month_day today) {
  ValueCheck out;
  out.kind = ValueKind::kForeignPermanentId;
  out.normalized = v;
  if (!check_mod11_frame(v, out)) return out;
  const std::string_view s(v);
  if (s.front() != '9') out.errors.push_back("a foreign permanent resident ID starts with 9");
  const std::string province = std::string(s.substr(1, 2)) + "0000";
  if (match_division_code(province) != DivisionMatch::kCounty) {
    out.errors.push_back("the acceptance province " + std::string(s.substr(1, 2)) +
                         " is not a province code");
  }
  auto birth = birth_date(number(s.substr(6, 4)), s.substr(10, 4), today, out.errors);
  if (birth) out.holder = HolderFacts{*birth, number(s.substr(14, 3)) % 2 == 1, province};
  out.valid = out.errors.empty();
  return out;
}

ValueCheck check_hk_macao_permit(const std::string& v) {
  ValueCheck out;
  out.kind = ValueKind::kHkMacaoTravelPermit;
  out.normalized = v;
  const bool shape = (v.size() == 9 || v.size() == 11) && (v.front() == 'H' || v.front() == 'M') &&
                     all_digits(std::string_view(v).substr(1));
  if (!shape) {
    out.errors.push_back("a Hong Kong or Macao travel permit is H or M and 8 or 10 digits");
  }
  out.valid = out.errors.empty();
  if (out.valid) out.warnings.push_back("travel permits carry no check character: shape only");
  return out;
}

ValueCheck check_taiwan_permit(const std::string& v) {
  ValueCheck out;
  out.kind = ValueKind::kTaiwanTravelPermit;
  out.normalized = v;
  if (v.size() != 8 || !all_digits(v)) {
    out.errors.push_back("a Taiwan residents' travel permit has 8 digits");
  }
  out.valid = out.errors.empty();
  if (out.valid) out.warnings.push_back("travel permits carry no check character: shape only");
  return out;
}

ValueCheck check_mobile(const std::string& raw) {
  ValueCheck out;
  out.kind = ValueKind::kMobileNumber;
  // The country code goes only when eleven characters remain, so normalising is idempotent.
  std::string v = raw;
  if (v.size() == 14 && v.starts_with("+86")) {
    v = v.substr(3);
  } else if (v.size() == 15 && v.starts_with("0086")) {
    v = v.substr(4);
  } else if (v.size() == 13 && v.starts_with("86")) {
    v = v.substr(2);
  }
  out.normalized = v;
  if (v.size() != 11 || !all_digits(v)) {
    out.errors.push_back("a mobile number has 11 digits");
  } else if (v[0] != '1' || v[1] < '3') {
    out.errors.push_back("a mobile number starts with 13-19");
  }
  out.valid = out.errors.empty();
  return out;
}

ValueCheck check_credit_code(const std::string& v) {
  ValueCheck out;
  out.kind = ValueKind::kCreditCode;
  out.normalized = v;
  if (!is_uscc_shape(v)) {
    out.errors.push_back(
        "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z");
    return out;
  }
  const char expected = uscc_check_character(std::string_view(v).substr(0, 17));
  if (expected != v[17]) {
    // Some early pilot codes fail the check yet are legal (docs/identity.md).
    out.warnings.push_back(std::string("the check character is ") + v[17] + ", GB 32100 gives " +
                           expected + " (some early codes are legal anyway)");
  }
  const std::string_view division = std::string_view(v).substr(2, 6);
  if (!all_digits(division) || match_division_code(division) == DivisionMatch::kUnknown) {
    out.warnings.push_back("characters 3-8 are not a known division code");
  }
  out.valid = true;
  return out;
}

ValueCheck check_as(ValueKind kind, const std::string& v, year_month_day today) {
  switch (kind) {
    case ValueKind::kResidentId:
      return check_resident_id(v, today);
    case ValueKind::kLegacyResidentId:
      return check_legacy_resident_id(v, today);
    case ValueKind::kHmtResidencePermit:
      return check_hmt_permit(v, today);
    case ValueKind::kForeignPermanentId:
      return check_foreign_permanent(v, today);
    case ValueKind::kHkMacaoTravelPermit:
      return check_hk_macao_permit(v);
    case ValueKind::kTaiwanTravelPermit:
      return check_taiwan_permit(v);
    case ValueKind::kMobileNumber:
      return check_mobile(v);
    case ValueKind::kCreditCode:
      return check_credit_code(v);
    case ValueKind::kUnknown:
      break;
  }
  ValueCheck out;
  out.normalized = v;
  out.errors.push_back("not a value of any known kind");
  return out;
}

bool looks_like_id_number(const std::string& v) {
  if (v.size() != 18 || !all_digits(std::string_view(v).substr(0, 17))) return false;
  const std::string_view century = std::string_view(v).substr(6, 2);
  return century == "18" || century == "19" || century == "20";
}

// The kinds whose shape `v` could have, most likely first.
std::vector<ValueKind> candidates(const std::string& v) {
  std::vector<ValueKind> out;
  if (v.starts_with("+") || v.size() == 11 || v.size() == 13) {
    if (v.starts_with("+") || all_digits(v)) out.push_back(ValueKind::kMobileNumber);
  }
  if (v.size() == 18) {
    const std::string_view s(v);
    if ((s.starts_with("81") || s.starts_with("82") || s.starts_with("83")) &&
        s.substr(2, 4) == "0000") {
      out.push_back(ValueKind::kHmtResidencePermit);
    }
    if (s.front() == '9') out.push_back(ValueKind::kForeignPermanentId);
    if (s.front() >= '1' && s.front() <= '8') out.push_back(ValueKind::kResidentId);
    out.push_back(ValueKind::kCreditCode);
  }
  if (v.size() == 15) out.push_back(ValueKind::kLegacyResidentId);
  if (v.size() == 9 || (v.size() == 11 && (v.front() == 'H' || v.front() == 'M'))) {
    out.push_back(ValueKind::kHkMacaoTravelPermit);
  }
  if (v.size() == 8) out.push_back(ValueKind::kTaiwanTravelPermit);
  return out;
}

}  // namespace

std::string_view kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::kResidentId:
      return "resident_id";
    case ValueKind::kLegacyResidentId:
      return "resident_id_15";
    case ValueKind::kHmtResidencePermit:
      return "hmt_residence_permit";
    case ValueKind::kForeignPermanentId:
      return "foreign_permanent_resident_id";
    case ValueKind::kHkMacaoTravelPermit:
      return "hk_macao_travel_permit";
    case ValueKind::kTaiwanTravelPermit:
      return "taiwan_travel_permit";
    case ValueKind::kMobileNumber:
      return "mobile";
    case ValueKind::kCreditCode:
      return "credit_code";
    case ValueKind::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<ValueKind> parse_kind(std::string_view name) {
  for (ValueKind kind :
       {ValueKind::kResidentId, ValueKind::kLegacyResidentId, ValueKind::kHmtResidencePermit,
        ValueKind::kForeignPermanentId, ValueKind::kHkMacaoTravelPermit,
        ValueKind::kTaiwanTravelPermit, ValueKind::kMobileNumber, ValueKind::kCreditCode}) {
    if (kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

char mod11_2_check(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kMap = "10X98765432";
  if (first17.size() != 17 || !all_digits(first17)) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kMap[static_cast<std::size_t>(sum % 11)];
}

ValueCheck check_value(std::string_view value, std::optional<ValueKind> kind,
                       year_month_day today) {
  const std::string v = normalize(value);
  if (kind) return check_as(*kind, v, today);
  const auto kinds = candidates(v);
  std::optional<ValueCheck> first;
  for (ValueKind k : kinds) {
    ValueCheck c = check_as(k, v, today);
    if (c.valid) return c;
    if (!first) first = std::move(c);
    // 17 digits whose birth year starts 18, 19 or 20 are an ID number with a mistake, not a
    // credit code that happens to be all digits (pass the kind to force one).
    if (looks_like_id_number(v)) break;
  }
  if (first) return *first;
  ValueCheck out;
  out.normalized = v;
  out.errors.push_back("not a resident ID, permit, mobile number or credit code (" +
                       std::to_string(v.size()) + " characters)");
  return out;
}

year_month_day china_date(std::chrono::system_clock::time_point t) {
  return year_month_day{std::chrono::floor<std::chrono::days>(t + std::chrono::hours(8))};
}

int age_on(year_month_day birth, year_month_day on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(birth.year());
  if (std::chrono::month_day{on.month(), on.day()} <
      std::chrono::month_day{birth.month(), birth.day()}) {
    --age;
  }
  return age;
}

}  // namespace synthgate::identity
