#include "metadata/mp3_label.hpp"

#include "media/id3_tag.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kDescription = "AIGC";

struct Mp3 {
  std::optional<media::Id3Tag> tag;
  std::size_t audio_offset = 0;
};

Result<Mp3> walk_mp3(ByteView file) {
  auto tag = media::parse_id3v2(file);
  if (!tag) return tl::unexpected(tag.error());
  Mp3 mp3{std::move(*tag), 0};
  if (mp3.tag) mp3.audio_offset = mp3.tag->size;
  auto frames = media::walk_mpeg_audio(file.subspan(mp3.audio_offset));
  if (!frames) return tl::unexpected(frames.error());
  return mp3;
}

Result<bool> is_label(ByteView file, const media::Id3Frame& f, std::string* value) {
  if (f.id != "TXXX") return false;
  auto text = media::parse_user_text(file.subspan(f.data_offset, f.data_size));
  if (!text) return tl::unexpected(text.error());
  if (text->description != kDescription) return false;
  if (value) *value = text->value;
  return true;
}
}  // namespace

bool Mp3LabelHandler::recognises(ByteView head) const {
  return (head.size() >= 3 && as_chars(head.first(3)) == "ID3") ||
         media::is_mpeg_audio_frame(head.first(std::min<std::size_t>(4, head.size())));
}

Result<std::vector<std::string>> Mp3LabelHandler::read_labels(ByteView file) const {
  auto mp3 = walk_mp3(file);
  if (!mp3) return tl::unexpected(mp3.error());
  std::vector<std::string> labels;
  if (!mp3->tag) return labels;
  for (const auto& f : mp3->tag->frames) {
    std::string value;
    auto label = is_label(file, f, &value);
    if (!label) return tl::unexpected(label.error());
    if (*label) labels.push_back(std::move(value));
  }
  return labels;
}

Result<Bytes> Mp3LabelHandler::write_label(ByteView file, std::string_view aigc_json,
                                           const LabelStyle&) const {
  auto mp3 = walk_mp3(file);
  if (!mp3) return tl::unexpected(mp3.error());
  Bytes body;
  const auto put = [&](const Bytes& b) { body.insert(body.end(), b.begin(), b.end()); };
  if (mp3->tag) {
    for (const auto& f : mp3->tag->frames) {
      auto label = is_label(file, f, nullptr);
      if (!label) return tl::unexpected(label.error());
      if (*label) continue;
      std::uint16_t flags = f.flags;
      if (mp3->tag->major == 3) {
        // v2.3 format flags (compression, encryption, grouping) change the data layout.
        if (flags & 0x00e0) {
          return fail(ErrorCode::kUnsupportedMediaType,
                      "ID3v2.3 frame " + f.id + " is compressed, encrypted or grouped");
        }
        flags = static_cast<std::uint16_t>((flags & 0xe000) >> 1);  // status flags in v2.4
      }
      put(media::make_id3v24_frame(f.id, flags, file.subspan(f.data_offset, f.data_size)));
    }
  }
  // Text encoding 3 (UTF-8), the description, NUL, the value.
  const std::string text =
      std::string(1, '\x03') + std::string(kDescription) + '\0' + std::string(aigc_json);
  put(media::make_id3v24_frame("TXXX", 0, as_bytes(text)));
  if (body.size() >= (std::size_t{1} << 28)) {
    return fail(ErrorCode::kInvalidArgument, "the ID3 tag would exceed 256 MiB");
  }
  Bytes out = media::make_id3v24_header(body.size());
  out.insert(out.end(), body.begin(), body.end());
  out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(mp3->audio_offset), file.end());
  return out;
}

Result<Sha256Digest> Mp3LabelHandler::content_digest(ByteView file) const {
  auto mp3 = walk_mp3(file);
  if (!mp3) return tl::unexpected(mp3.error());
  return sha256(file.subspan(mp3->audio_offset));
}

}  // namespace synthgate::metadata
