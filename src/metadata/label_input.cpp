#include "metadata/label_input.hpp"

#include "core/file_io.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::size_t kSniffBytes = 4096;
// A file no handler recognised from its first bytes is read whole for a second look only up
// to this size (some formats are told apart further in); a larger one is refused as it is.
constexpr std::uint64_t kSecondLookBytes = std::uint64_t{64} << 20;
}  // namespace

Result<LabelInput> LabelInput::from_bytes(ByteView file) {
  auto handler = handler_for(file);
  if (!handler) return tl::unexpected(handler.error());
  return LabelInput(**handler, file, {});
}

Result<LabelInput> LabelInput::from_file(const std::filesystem::path& path) {
  auto source = media::FileSource::open(path);
  if (!source) return tl::unexpected(source.error());
  const auto sniff =
      static_cast<std::size_t>(std::min<std::uint64_t>(kSniffBytes, (*source)->size()));
  auto head = (*source)->read_at(0, sniff);
  if (!head) return tl::unexpected(head.error());
  auto handler = handler_for(*head);
  if (!handler) {
    if ((*source)->size() > kSecondLookBytes) return tl::unexpected(handler.error());
    auto bytes = read_file(path);
    if (!bytes) return tl::unexpected(bytes.error());
    auto again = handler_for(*bytes);
    if (!again) return tl::unexpected(again.error());
    handler = again;
  }
  if ((*handler)->streaming() != nullptr) return LabelInput(**handler, std::move(*source));
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  return LabelInput(**handler, ByteView{}, std::move(*bytes));
}

Result<std::vector<std::string>> LabelInput::labels() const {
  if (const auto* stream = handler_->streaming()) return stream->read_labels(*source_);
  return handler_->read_labels(view_);
}

Result<Sha256Digest> LabelInput::digest() const {
  if (const auto* stream = handler_->streaming()) return stream->content_digest(*source_);
  return handler_->content_digest(view_);
}

Status LabelInput::write(std::string_view aigc_json, const LabelStyle& style,
                         media::ByteSink& out) const {
  if (const auto* stream = handler_->streaming()) {
    return stream->write_label(*source_, out, aigc_json, style);
  }
  auto labelled = handler_->write_label(view_, aigc_json, style);
  if (!labelled) return tl::unexpected(labelled.error());
  return out.write(*labelled);
}

}  // namespace synthgate::metadata
