// Whole files through the label reader and writer: no crash; a file that takes a label reads
// it back exactly once, and everything but the label is unchanged.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "metadata/format_handler.hpp"
#include "metadata/implicit_label.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace synthgate::metadata;
  const synthgate::ByteView file(data, size);
  (void)read_label(file);
  AigcRecord record;
  record.label = "1";
  record.content_producer = "001191440300708461136T1XGW3";
  record.produce_id = "01jdz3k5m8q9r7s6t5v4w3x2y1";
  auto out = write_label(file, record);
  if (!out) return 0;
  auto reading = read_label(*out);
  FUZZ_CHECK(reading.has_value());
  FUZZ_CHECK(reading->count == 1 && reading->record == record);
  const FormatHandler* handler = *handler_for(file);
  FUZZ_CHECK(*handler->content_digest(file) == *handler->content_digest(*out));
  return 0;
}
