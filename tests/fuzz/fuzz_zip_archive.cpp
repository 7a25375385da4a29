// read_zip (libzip underneath) over arbitrary bytes: no crash; an archive that reads can be
// rewritten with one more entry, which then reads back.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "media/zip_archive.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::media;
  auto entries = read_zip(synthgate::ByteView(data, size));
  if (!entries) return 0;
  std::size_t total = 0;
  for (const auto& e : *entries) total += e.data.size();
  FUZZ_CHECK(entries->size() <= kMaxZipEntries && total <= kMaxZipUncompressed);
  const ZipEntry added{"docProps/custom.xml", {'<', 'x', '/', '>'}};
  auto rewritten = rewrite_zip(synthgate::ByteView(data, size), {added});
  if (!rewritten) return 0;
  auto again = read_zip(*rewritten);
  FUZZ_CHECK(again.has_value());
  bool found = false;
  for (const auto& e : *again) found = found || (e.name == added.name && e.data == added.data);
  FUZZ_CHECK(found);
  return 0;
}
