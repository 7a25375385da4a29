// parse_blocklist on arbitrary bytes: it refuses with the line named, or every hash it
// returns prints back as the 64 hex digits it was read from (lowercased).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "moderation/hash_blocklist.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::moderation;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entries = parse_blocklist(text, "fuzz.txt");
  if (!entries) {
    FUZZ_CHECK(entries.error().message.starts_with("fuzz.txt:"));
    return 0;
  }
  for (const auto& e : *entries) {
    auto again = PdqHash::from_hex(e.hash.hex());
    FUZZ_CHECK(again && *again == e.hash);
  }
  if (!entries->empty()) {
    const HashBlocklist index(*entries);
    const auto found = index.search((*entries)[0].hash);
    FUZZ_CHECK(!found.empty() && found[0].distance == 0);
  }
  return 0;
}
