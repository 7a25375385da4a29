#pragma once

#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// A Vorbis comment block (FLAC VORBIS_COMMENT, Ogg Vorbis/Opus comment header body):
// little-endian lengths, a vendor string and "KEY=value" comments.
struct VorbisComment {
  std::string vendor;
  std::vector<std::string> comments;
  std::size_t size = 0;  // bytes the block took (what follows may be framing or padding)
};

Result<VorbisComment> parse_vorbis_comment(ByteView data);
Bytes serialize_vorbis_comment(const VorbisComment& comment);

// Whether `comment` is "KEY=..." with KEY equal to `key` ignoring ASCII case.
bool comment_has_key(std::string_view comment, std::string_view key);

}  // namespace synthgate::media
