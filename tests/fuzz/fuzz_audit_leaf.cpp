// decode_leaf on arbitrary bytes (leaves come back from a database, an export or a
// regulator's file). Whatever decodes must encode back to exactly the same bytes: leaves
// have one canonical form.
#include <cstddef>
#include <cstdint>

#include "audit/audit_event.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const synthgate::ByteView leaf(data, size);
  if (auto event = synthgate::audit::decode_leaf(leaf)) {
    auto again = synthgate::audit::encode_leaf(*event);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->size() == size && std::equal(again->begin(), again->end(), data));
  }
  return 0;
}
