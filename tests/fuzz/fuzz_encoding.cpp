// hex_decode and base64_decode on arbitrary text. Whatever decodes must encode back to the
// same text: lowercase for hex (the decoder accepts both cases), unchanged for base64 (so
// the decoder accepts only the canonical form the encoder writes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/encoding.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto bytes = synthgate::hex_decode(text)) {
    FUZZ_CHECK(bytes->size() * 2 == text.size());
    std::string lower(text);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    }
    FUZZ_CHECK(synthgate::hex_encode(*bytes) == lower);
  }

  if (auto bytes = synthgate::base64_decode(text)) {
    const std::string again = synthgate::base64_encode(*bytes);
    FUZZ_CHECK(again == text);
    auto twice = synthgate::base64_decode(again);
    FUZZ_CHECK(twice && *twice == *bytes);
  }

  // Every byte string survives an encode/decode round trip in both codecs.
  const synthgate::ByteView raw(data, size);
  auto from_hex = synthgate::hex_decode(synthgate::hex_encode(raw));
  FUZZ_CHECK(from_hex && std::string_view(synthgate::as_chars(*from_hex)) == text);
  auto from_base64 = synthgate::base64_decode(synthgate::base64_encode(raw));
  FUZZ_CHECK(from_base64 && std::string_view(synthgate::as_chars(*from_base64)) == text);
  return 0;
}
