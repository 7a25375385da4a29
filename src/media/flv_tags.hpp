#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// A tag of an FLV file: 11-byte header (type, 24-bit size, timestamp, stream id), data, and
// the 4-byte PreviousTagSize that follows it.
struct FlvTag {
  std::uint8_t type = 0;  // 8 audio, 9 video, 18 script data
  std::size_t offset = 0;
  std::size_t data_offset = 0;
  std::size_t data_size = 0;
  std::size_t end() const { return data_offset + data_size + 4; }
};

struct FlvLayout {
  std::size_t body_offset = 0;  // after the header and PreviousTagSize0
  std::vector<FlvTag> tags;
};

// Walks the header and every tag; each tag's PreviousTagSize must match, so a file cut inside
// a tag is refused.
Result<FlvLayout> walk_flv(ByteView file);

// One property of the onMetaData script tag (an AMF0 ECMA array or object).
struct AmfProperty {
  std::string key;
  ByteView value;  // the AMF0 value, type marker included
};

struct OnMetaData {
  std::vector<AmfProperty> properties;
};

// Parses a script tag's data when it is "onMetaData" with an ECMA array or object; nullopt for
// other script tags.
Result<std::optional<OnMetaData>> parse_on_metadata(ByteView tag_data);

// The script tag data for `meta` (an ECMA array).
Result<Bytes> serialize_on_metadata(const OnMetaData& meta);

// A tag (header, data, PreviousTagSize) with the given header fields of `like`.
Bytes make_flv_tag(ByteView like_header, ByteView data);

// An AMF0 string value (type 2, or long string 12 when over 65535 bytes).
Bytes amf_string(std::string_view text);
// The text of an AMF0 string or long string value, or nullopt.
std::optional<std::string> amf_text(ByteView value);

}  // namespace synthgate::media
