#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace synthgate::metadata {

// GB 32100-2015 unified social credit code: 18 characters from 0-9 and A-Y without I, O,
// S, V, Z; the last is a check character over the first 17.
bool is_uscc_shape(std::string_view code);
// The check character the first 17 characters call for ('\0' when they are not valid).
char uscc_check_character(std::string_view first17);

// The 27-character provider code of the coding rule (网安秘字〔2025〕29号):
// "00" + subject code ("1" + "1" + an 18-character USCC) + a 5-character service extension.
struct ProviderCodeCheck {
  bool is_code = false;               // has the 27-character shape
  bool check_character_ok = false;    // the embedded USCC's check character is right
  std::vector<std::string> problems;  // why it is not a code, or why its check fails
};

ProviderCodeCheck check_provider_code(std::string_view text);

}  // namespace synthgate::metadata
