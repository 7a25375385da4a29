#pragma once

#include <string_view>

namespace synthgate::identity {

// How far a GB/T 2260 address code is known to the bundled list (data/division_codes.txt:
// every code any list from 1980-12 to 2019-04 held).
enum class DivisionMatch {
  kCounty,      // the exact code was in some list
  kPrefecture,  // only its prefecture (first 4 digits + "00") was: a newer or unlisted county
  kProvince,    // only its province was
  kUnknown,     // no list ever held its province: certainly not an address code
};

// `code` must be 6 ASCII digits; anything else is kUnknown.
DivisionMatch match_division_code(std::string_view code);

// The number of codes in the bundled list (for documentation and tests).
std::size_t division_code_count();

}  // namespace synthgate::identity
