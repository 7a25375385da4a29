#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace synthgate::identity {

// The kinds of identifying values SynthGate can check.
enum class ValueKind {
  kResidentId,           // GB 11643-1999, 18 characters
  kLegacyResidentId,     // GB 11643-1989, 15 digits, no century and no check character
  kHmtResidencePermit,   // residence permit of Hong Kong, Macao and Taiwan residents (2018)
  kForeignPermanentId,   // foreigner's permanent residence ID card, 2023 edition (18 digits)
  kHkMacaoTravelPermit,  // mainland travel permit of Hong Kong and Macao residents
  kTaiwanTravelPermit,   // mainland travel permit of Taiwan residents (2015 card)
  kMobileNumber,         // mainland mobile number
  kCreditCode,           // GB 32100-2015 unified social credit code
  kUnknown,
};

std::string_view kind_name(ValueKind kind);
std::optional<ValueKind> parse_kind(std::string_view name);

// What a value says about its holder, where its format carries it.
struct HolderFacts {
  std::chrono::year_month_day birth_date{};
  bool male = false;
  std::string division_code;  // address code (resident IDs) or acceptance province
};

struct ValueCheck {
  bool valid = false;
  ValueKind kind = ValueKind::kUnknown;
  std::string normalized;  // the canonical form to store and index (upper case, no spaces)
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  std::optional<HolderFacts> holder;
};

// Checks `value` as `kind`, or, without a kind, as whichever kind its shape fits (the first
// that passes; when none does, the errors of the closest). `today` is the date in China,
// used to refuse birth dates in the future.
ValueCheck check_value(std::string_view value, std::optional<ValueKind> kind,
                       std::chrono::year_month_day today);

// The civil date in China (UTC+8) at `t`.
std::chrono::year_month_day china_date(std::chrono::system_clock::time_point t);

// Whole years from `birth` to `on`.
int age_on(std::chrono::year_month_day birth, std::chrono::year_month_day on);

// The ISO 7064 MOD 11-2 check character of 17 digits ('\0' when they are not digits).
char mod11_2_check(std::string_view first17);

}  // namespace synthgate::identity
