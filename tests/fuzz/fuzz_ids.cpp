// Uuid::parse and ContentId::parse on arbitrary text. Whatever parses must print as a
// string that parses back to the same value, in the canonical (lowercase) form.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto uuid = synthgate::Uuid::parse(text)) {
    const std::string printed = uuid->to_string();
    FUZZ_CHECK(printed.size() == 36);
    auto again = synthgate::Uuid::parse(printed);
    FUZZ_CHECK(again && *again == *uuid);
    FUZZ_CHECK(again->to_string() == printed);
  }

  if (auto id = synthgate::ContentId::parse(text)) {
    const std::string printed = id->to_string();
    FUZZ_CHECK(printed.size() == 26);
    auto again = synthgate::ContentId::parse(printed);
    FUZZ_CHECK(again && *again == *id);
    FUZZ_CHECK(again->to_string() == printed);
    // A content id is a UUID written another way; the UUID form must parse too.
    auto as_uuid = synthgate::Uuid::parse(id->uuid.to_string());
    FUZZ_CHECK(as_uuid && *as_uuid == id->uuid);
  }
  return 0;
}
