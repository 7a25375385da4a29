#pragma once

#include <optional>
#include <string>

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// Where an image format keeps its XMP packet. XmpFormatHandler turns one of these into a
// FormatHandler, so JPEG, PNG and the other image formats share the XMP logic.
class XmpCarrier {
 public:
  virtual ~XmpCarrier() = default;
  virtual std::string_view name() const = 0;
  virtual bool recognises(ByteView head) const = 0;
  // The XMP packets the file holds (normally none or one); validates the file.
  virtual Result<std::vector<std::string>> packets(ByteView file) const = 0;
  // The file with `packet` as its only XMP packet.
  virtual Result<Bytes> with_packet(ByteView file, std::string_view packet) const = 0;
  // SHA-256 of the file without its XMP packets.
  virtual Result<Sha256Digest> digest_without_packets(ByteView file) const = 0;
};

class XmpFormatHandler final : public FormatHandler {
 public:
  explicit XmpFormatHandler(const XmpCarrier& carrier) : carrier_(carrier) {}
  std::string_view name() const override { return carrier_.name(); }
  bool recognises(ByteView head) const override { return carrier_.recognises(head); }
  Result<std::vector<std::string>> read_labels(ByteView file) const override;
  Result<Bytes> write_label(ByteView file, std::string_view aigc_json,
                            const LabelStyle& style) const override;
  Result<Sha256Digest> content_digest(ByteView file) const override {
    return carrier_.digest_without_packets(file);
  }

 private:
  const XmpCarrier& carrier_;
};

}  // namespace synthgate::metadata
