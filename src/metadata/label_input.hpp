#pragma once

#include <filesystem>
#include <memory>

#include "metadata/format_handler.hpp"

namespace synthgate::metadata {

// A file to label, held as bytes or opened as a stream, with the handler its bytes chose.
// Streaming handlers read it piece by piece; the others get the whole file in memory.
class LabelInput {
 public:
  static Result<LabelInput> from_bytes(ByteView file);
  // Opens `path`; reads it whole only when its format has no streaming handler.
  static Result<LabelInput> from_file(const std::filesystem::path& path);

  const FormatHandler& handler() const { return *handler_; }
  Result<std::vector<std::string>> labels() const;
  Result<Sha256Digest> digest() const;
  Status write(std::string_view aigc_json, const LabelStyle& style, media::ByteSink& out) const;

 private:
  LabelInput(const FormatHandler& handler, std::unique_ptr<media::ByteSource> source)
      : handler_(&handler), source_(std::move(source)) {}
  LabelInput(const FormatHandler& handler, ByteView view, Bytes owned)
      : handler_(&handler), owned_(std::move(owned)), view_(owned_.empty() ? view : owned_) {
    source_ = std::make_unique<media::MemorySource>(view_);
  }
  const FormatHandler* handler_;
  std::unique_ptr<media::ByteSource> source_;
  Bytes owned_;    // a file read whole
  ByteView view_;  // the file, when it is in memory
};

}  // namespace synthgate::metadata
