#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/credit_code.hpp"

namespace synthgate::metadata {

// The GB 32100 check lives in core (identity uses it too).
using synthgate::is_uscc_shape;
using synthgate::uscc_check_character;

// The 27-character provider code of the coding rule (网安秘字〔2025〕29号):
// "00" + subject code ("1" + "1" + an 18-character USCC) + a 5-character service extension.
struct ProviderCodeCheck {
  bool is_code = false;               // has the 27-character shape
  bool check_character_ok = false;    // the embedded USCC's check character is right
  std::vector<std::string> problems;  // why it is not a code, or why its check fails
};

ProviderCodeCheck check_provider_code(std::string_view text);

}  // namespace synthgate::metadata
