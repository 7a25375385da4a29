#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace synthgate::moderation {

// One decoded code point and how many bytes it took. Malformed input decodes to U+FFFD one
// byte at a time, so every byte of hostile text still maps back to a position.
struct DecodedChar {
  char32_t code_point = 0;
  std::size_t length = 0;
  bool valid = false;
};

// Decodes the code point starting at `pos` (which must be < text.size()).
DecodedChar decode_utf8(std::string_view text, std::size_t pos);

// How many bytes a UTF-8 sequence starting with `lead` needs in all (1 for a stray byte).
std::size_t utf8_sequence_length(unsigned char lead);

void append_utf8(std::string& out, char32_t code_point);

}  // namespace synthgate::moderation
