// XMP packets from outside: reading never crashes; a packet that reads can be rewritten,
// and the rewrite carries exactly the one label written.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "metadata/xmp_packet.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::metadata;
  const std::string_view packet(reinterpret_cast<const char*>(data), size);
  auto values = read_xmp_aigc(packet);
  if (!values) return 0;
  constexpr std::string_view kJson = R"({"Label":"1","ContentProducer":"p","ProduceID":"i"})";
  auto rewritten = write_xmp_aigc(packet, kJson, kTrainedAlgorithmicMedia);
  FUZZ_CHECK(rewritten.has_value());
  auto again = read_xmp_aigc(*rewritten);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->size() == 1 && (*again)[0] == kJson);
  return 0;
}
