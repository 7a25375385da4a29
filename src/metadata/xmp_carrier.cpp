#include "metadata/xmp_carrier.hpp"

#include "metadata/xmp_packet.hpp"

namespace synthgate::metadata {

Result<std::vector<std::string>> XmpFormatHandler::read_labels(ByteView file) const {
  auto packets = carrier_.packets(file);
  if (!packets) return tl::unexpected(packets.error());
  std::vector<std::string> labels;
  for (const std::string& packet : *packets) {
    auto values = read_xmp_aigc(packet);
    if (!values) return tl::unexpected(values.error());
    labels.insert(labels.end(), values->begin(), values->end());
  }
  return labels;
}

Result<Bytes> XmpFormatHandler::write_label(ByteView file, std::string_view aigc_json,
                                            const LabelStyle& style) const {
  auto packets = carrier_.packets(file);
  if (!packets) return tl::unexpected(packets.error());
  // Extra packets (a damaged or careless earlier writer) are dropped: one label per file,
  // and the first packet's other properties are kept.
  const std::string_view existing = packets->empty() ? std::string_view{} : (*packets)[0];
  auto packet = write_xmp_aigc(existing, aigc_json, style.digital_source_type);
  if (!packet) return tl::unexpected(packet.error());
  return carrier_.with_packet(file, *packet);
}

}  // namespace synthgate::metadata
