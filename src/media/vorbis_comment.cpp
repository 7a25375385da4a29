#include "media/vorbis_comment.hpp"

namespace synthgate::media {

namespace {
std::uint32_t le32(ByteView b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

void put_le32(Bytes& out, std::size_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

tl::unexpected<Error> damaged() {
  return fail(ErrorCode::kInvalidArgument, "damaged Vorbis comment: a length runs past the end");
}
}  // namespace

Result<VorbisComment> parse_vorbis_comment(ByteView data) {
  VorbisComment out;
  std::size_t pos = 0;
  auto text = [&](std::string& into) -> bool {
    if (data.size() - pos < 4) return false;
    const std::size_t length = le32(data, pos);
    pos += 4;
    if (length > data.size() - pos) return false;
    into = std::string(as_chars(data.subspan(pos, length)));
    pos += length;
    return true;
  };
  if (!text(out.vendor)) return damaged();
  if (data.size() - pos < 4) return damaged();
  const std::size_t count = le32(data, pos);
  pos += 4;
  if (count > (data.size() - pos) / 4) return damaged();
  for (std::size_t i = 0; i < count; ++i) {
    std::string comment;
    if (!text(comment)) return damaged();
    out.comments.push_back(std::move(comment));
  }
  out.size = pos;
  return out;
}

Bytes serialize_vorbis_comment(const VorbisComment& comment) {
  Bytes out;
  put_le32(out, comment.vendor.size());
  out.insert(out.end(), comment.vendor.begin(), comment.vendor.end());
  put_le32(out, comment.comments.size());
  for (const std::string& c : comment.comments) {
    put_le32(out, c.size());
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

bool comment_has_key(std::string_view comment, std::string_view key) {
  if (comment.size() <= key.size() || comment[key.size()] != '=') return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    if (lower(comment[i]) != lower(key[i])) return false;
  }
  return true;
}

}  // namespace synthgate::media
