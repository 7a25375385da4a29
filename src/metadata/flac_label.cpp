#include "metadata/flac_label.hpp"

#include "media/flac_blocks.hpp"
#include "media/vorbis_comment.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kKey = "AIGC";
constexpr std::uint8_t kStreamInfo = 0, kPadding = 1, kVorbisComment = 4;
}  // namespace

bool FlacLabelHandler::recognises(ByteView head) const {
  return head.size() >= 4 && as_chars(head.first(4)) == "fLaC";
}

Result<std::vector<std::string>> FlacLabelHandler::read_labels(ByteView file) const {
  auto layout = media::walk_flac(file);
  if (!layout) return tl::unexpected(layout.error());
  std::vector<std::string> labels;
  for (const auto& b : layout->blocks) {
    if (b.type != kVorbisComment) continue;
    auto comment = media::parse_vorbis_comment(file.subspan(b.data_offset, b.data_size));
    if (!comment) return tl::unexpected(comment.error());
    for (const std::string& c : comment->comments) {
      if (media::comment_has_key(c, kKey)) labels.push_back(c.substr(kKey.size() + 1));
    }
  }
  return labels;
}

Result<Bytes> FlacLabelHandler::write_label(ByteView file, std::string_view aigc_json,
                                            const LabelStyle&) const {
  auto layout = media::walk_flac(file);
  if (!layout) return tl::unexpected(layout.error());
  // The blocks in order, the first VORBIS_COMMENT relabelled, later ones dropped (a file
  // carries one), one made after STREAMINFO when there is none.
  std::vector<std::pair<std::uint8_t, Bytes>> blocks;
  bool placed = false;
  for (const auto& b : layout->blocks) {
    const ByteView data = file.subspan(b.data_offset, b.data_size);
    if (b.type != kVorbisComment) {
      blocks.emplace_back(b.type, Bytes(data.begin(), data.end()));
      continue;
    }
    if (placed) continue;
    auto comment = media::parse_vorbis_comment(data);
    if (!comment) return tl::unexpected(comment.error());
    std::erase_if(comment->comments,
                  [](const std::string& c) { return media::comment_has_key(c, kKey); });
    comment->comments.push_back(std::string(kKey) + "=" + std::string(aigc_json));
    blocks.emplace_back(kVorbisComment, media::serialize_vorbis_comment(*comment));
    placed = true;
  }
  if (!placed) {
    media::VorbisComment comment{
        "SynthGate", {std::string(kKey) + "=" + std::string(aigc_json)}, 0};
    blocks.insert(blocks.begin() + 1, {kVorbisComment, media::serialize_vorbis_comment(comment)});
  }
  Bytes out = {'f', 'L', 'a', 'C'};
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    auto block = media::make_flac_block(blocks[i].first, i + 1 == blocks.size(), blocks[i].second);
    if (!block) return tl::unexpected(block.error());
    out.insert(out.end(), block->begin(), block->end());
  }
  out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(layout->audio_offset),
             file.end());
  return out;
}

Result<Sha256Digest> FlacLabelHandler::content_digest(ByteView file) const {
  auto layout = media::walk_flac(file);
  if (!layout) return tl::unexpected(layout.error());
  Sha256Hasher hasher;
  for (const auto& b : layout->blocks) {
    if (b.type == kVorbisComment || b.type == kPadding) continue;
    const std::uint8_t type[1] = {b.type};
    hasher.update(type);
    hasher.update(file.subspan(b.data_offset, b.data_size));
  }
  hasher.update(file.subspan(layout->audio_offset));
  static_cast<void>(kStreamInfo);
  return hasher.finish();
}

}  // namespace synthgate::metadata
