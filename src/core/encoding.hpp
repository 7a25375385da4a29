#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_chars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Lowercase hexadecimal.
std::string hex_encode(ByteView bytes);
// Accepts upper and lower case; refuses odd lengths and other characters.
Result<Bytes> hex_decode(std::string_view text);

// Standard base64 with padding (RFC 4648 §4).
std::string base64_encode(ByteView bytes);
Result<Bytes> base64_decode(std::string_view text);

// Escapes & < > " and ' so the text is safe both as HTML text and inside a quoted attribute.
std::string escape_html(std::string_view text);

}  // namespace synthgate
