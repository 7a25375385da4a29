#include "metadata/flv_label.hpp"

#include <cstring>

#include "media/flv_tags.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kKey = "AIGC";
constexpr std::uint8_t kScript = 18;

// The first onMetaData tag, if any.
Result<std::optional<std::pair<media::FlvTag, media::OnMetaData>>> find_meta(
    ByteView file, const media::FlvLayout& layout) {
  for (const auto& tag : layout.tags) {
    if (tag.type != kScript) continue;
    auto meta = media::parse_on_metadata(file.subspan(tag.data_offset, tag.data_size));
    if (!meta) return tl::unexpected(meta.error());
    if (*meta) return std::optional(std::pair(tag, std::move(**meta)));
  }
  return std::optional<std::pair<media::FlvTag, media::OnMetaData>>{};
}

Bytes amf_number(double value) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  Bytes out = {0x00};
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<std::uint8_t>(bits >> shift));
  return out;
}
}  // namespace

bool FlvLabelHandler::recognises(ByteView head) const {
  return head.size() >= 4 && as_chars(head.first(3)) == "FLV" && head[3] == 1;
}

Result<std::vector<std::string>> FlvLabelHandler::read_labels(ByteView file) const {
  auto layout = media::walk_flv(file);
  if (!layout) return tl::unexpected(layout.error());
  std::vector<std::string> labels;
  for (const auto& tag : layout->tags) {
    if (tag.type != kScript) continue;
    auto meta = media::parse_on_metadata(file.subspan(tag.data_offset, tag.data_size));
    if (!meta) return tl::unexpected(meta.error());
    if (!*meta) continue;
    for (const auto& p : (*meta)->properties) {
      if (p.key != kKey) continue;
      if (auto text = media::amf_text(p.value)) labels.push_back(*text);
    }
  }
  return labels;
}

Result<Bytes> FlvLabelHandler::write_label(ByteView file, std::string_view aigc_json,
                                           const LabelStyle&) const {
  auto layout = media::walk_flv(file);
  if (!layout) return tl::unexpected(layout.error());
  auto found = find_meta(file, *layout);
  if (!found) return tl::unexpected(found.error());
  media::OnMetaData meta;
  std::size_t replace_begin = layout->body_offset, replace_end = layout->body_offset;
  Bytes like = {kScript, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  if (*found) {
    meta = std::move((*found)->second);
    const media::FlvTag& tag = (*found)->first;
    replace_begin = tag.offset;
    replace_end = tag.end();
    like.assign(file.begin() + static_cast<std::ptrdiff_t>(tag.offset),
                file.begin() + static_cast<std::ptrdiff_t>(tag.offset + 11));
  }
  for (const auto& p : meta.properties) {
    if (p.key == "keyframes") {
      return fail(ErrorCode::kUnsupportedMediaType,
                  "FLV with a keyframe index in onMetaData is not supported for labelling");
    }
  }
  std::erase_if(meta.properties, [](const media::AmfProperty& p) { return p.key == kKey; });
  const Bytes value = media::amf_string(aigc_json);
  meta.properties.push_back(media::AmfProperty{std::string(kKey), value});
  // filesize is a number of fixed width, so the new size is known before it is written.
  Bytes size_value;
  auto data = media::serialize_on_metadata(meta);
  if (!data) return tl::unexpected(data.error());
  const std::size_t new_size = file.size() - (replace_end - replace_begin) + 11 + data->size() + 4;
  size_value = amf_number(static_cast<double>(new_size));
  for (auto& p : meta.properties) {
    if (p.key == "filesize" && p.value.size() == 9 && p.value[0] == 0x00) p.value = size_value;
  }
  data = media::serialize_on_metadata(meta);
  if (!data) return tl::unexpected(data.error());
  Bytes out(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(replace_begin));
  const Bytes tag = media::make_flv_tag(like, *data);
  out.insert(out.end(), tag.begin(), tag.end());
  out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(replace_end), file.end());
  return out;
}

Result<Sha256Digest> FlvLabelHandler::content_digest(ByteView file) const {
  auto layout = media::walk_flv(file);
  if (!layout) return tl::unexpected(layout.error());
  Sha256Hasher hasher;
  hasher.update(file.first(layout->body_offset));
  for (const auto& tag : layout->tags) {
    if (tag.type != kScript) hasher.update(file.subspan(tag.offset, tag.end() - tag.offset));
  }
  return hasher.finish();
}

}  // namespace synthgate::metadata
