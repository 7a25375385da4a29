#pragma once

#include <string_view>

namespace synthgate {

// GB 32100-2015 unified social credit code: 18 characters from 0-9 and A-Y without I, O,
// S, V, Z; the last is a check character over the first 17 (weights 3^i mod 31).
bool is_uscc_shape(std::string_view code);
// The check character the first 17 characters call for ('\0' when they are not valid).
char uscc_check_character(std::string_view first17);

}  // namespace synthgate
