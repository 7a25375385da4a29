// walk_tiff over arbitrary bytes: no crash, and every IFD, value and strip it returns lies
// inside the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/tiff_ifd.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto layout = synthgate::media::walk_tiff(synthgate::ByteView(data, size));
  if (!layout) return 0;
  FUZZ_CHECK(!layout->ifds.empty() && !layout->image_data.empty());
  for (const auto& ifd : layout->ifds) {
    FUZZ_CHECK(ifd.offset + 2 + 12 * ifd.entries.size() + 4 <= size);
    for (const auto& e : ifd.entries) {
      FUZZ_CHECK(e.value_offset <= size && e.value_size <= size - e.value_offset);
    }
  }
  for (const auto& [at, length] : layout->image_data) FUZZ_CHECK(at <= size && length <= size - at);
  return 0;
}
