#include "media/id3_tag.hpp"

namespace synthgate::media {

namespace {
tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged MP3: " + why);
}

std::optional<std::size_t> syncsafe(ByteView b, std::size_t at) {
  std::size_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (b[at + i] & 0x80) return std::nullopt;
    v = v << 7 | b[at + i];
  }
  return v;
}

std::size_t be32(ByteView b, std::size_t at) {
  return static_cast<std::size_t>(b[at]) << 24 | static_cast<std::size_t>(b[at + 1]) << 16 |
         static_cast<std::size_t>(b[at + 2]) << 8 | b[at + 3];
}

void put_syncsafe(Bytes& out, std::size_t v) {
  for (int shift = 21; shift >= 0; shift -= 7)
    out.push_back(static_cast<std::uint8_t>((v >> shift) & 0x7f));
}

bool frame_id_char(std::uint8_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Splits UTF-16 text at its first NUL unit into two UTF-8 strings (surrogates read as '?').
// `big_endian` is the default when there is no byte-order mark (encoding 2).
std::pair<std::string, std::string> utf16_pair(ByteView data, bool big_endian) {
  std::pair<std::string, std::string> out;
  std::string* target = &out.first;
  std::size_t pos = 0;
  bool be = big_endian;
  bool at_start = true;
  while (pos + 1 < data.size()) {
    const auto unit = static_cast<std::uint32_t>(be ? (data[pos] << 8 | data[pos + 1])
                                                    : (data[pos + 1] << 8 | data[pos]));
    pos += 2;
    if (at_start && (unit == 0xfeff || unit == 0xfffe)) {
      if (unit == 0xfffe) be = !be;
      at_start = false;
      continue;
    }
    at_start = false;
    if (unit == 0) {
      if (target == &out.second) break;
      target = &out.second;
      at_start = true;
      be = big_endian;
      continue;
    }
    append_utf8(*target, (unit >= 0xd800 && unit <= 0xdfff) ? '?' : unit);
  }
  return out;
}

constexpr int kBitrates[5][15] = {
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},  // V1 L1
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},     // V1 L2
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},      // V1 L3
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},     // V2 L1
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},          // V2 L2, L3
};
constexpr int kSampleRates[3] = {44100, 48000, 32000};

// The length of the MPEG audio frame starting at `h`, or 0 when it is not a valid header.
std::size_t frame_length(ByteView h) {
  if (h.size() < 4 || h[0] != 0xff || (h[1] & 0xe0) != 0xe0) return 0;
  const int version = (h[1] >> 3) & 3;  // 0: 2.5, 2: 2, 3: 1
  const int layer = (h[1] >> 1) & 3;    // 1: III, 2: II, 3: I
  const int bitrate_index = h[2] >> 4;
  const int rate_index = (h[2] >> 2) & 3;
  if (version == 1 || layer == 0 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3)
    return 0;
  const bool v1 = version == 3;
  const int table = v1 ? 3 - layer : (layer == 3 ? 3 : 4);
  const long bitrate = kBitrates[table][bitrate_index] * 1000L;
  const long rate = kSampleRates[rate_index] >> (v1 ? 0 : (version == 2 ? 1 : 2));
  const long padding = (h[2] >> 1) & 1;
  long length = 0;
  if (layer == 3) {
    length = (12 * bitrate / rate + padding) * 4;
  } else if (layer == 1 && !v1) {
    length = 72 * bitrate / rate + padding;
  } else {
    length = 144 * bitrate / rate + padding;
  }
  return static_cast<std::size_t>(length);
}
}  // namespace

Result<std::optional<Id3Tag>> parse_id3v2(ByteView file) {
  if (file.size() < 3 || as_chars(file.first(3)) != "ID3") return std::optional<Id3Tag>{};
  if (file.size() < 10) return damaged("ID3 header cut off (truncated)");
  Id3Tag tag;
  tag.major = file[3];
  tag.flags = file[5];
  if (tag.major == 2) {
    return fail(ErrorCode::kUnsupportedMediaType, "ID3v2.2 tags are not supported");
  }
  if (tag.major != 3 && tag.major != 4) return damaged("unknown ID3v2 version");
  const auto body = syncsafe(file, 6);
  if (!body) return damaged("bad ID3 tag size");
  const bool footer = tag.major == 4 && (tag.flags & 0x10) != 0;
  tag.size = 10 + *body + (footer ? 10 : 0);
  if (tag.size > file.size()) return damaged("the ID3 tag runs past the end (truncated)");
  if (tag.flags & 0x80) {
    return fail(ErrorCode::kUnsupportedMediaType, "unsynchronised ID3v2 tags are not supported");
  }
  std::size_t pos = 10;
  const std::size_t end = 10 + *body;
  if (tag.flags & 0x40) {  // extended header
    if (end - pos < 4) return damaged("ID3 extended header cut off");
    std::size_t ext = 0;
    if (tag.major == 4) {
      const auto v = syncsafe(file, pos);
      if (!v || *v < 6) return damaged("bad ID3 extended header");
      ext = *v;
    } else {
      ext = be32(file, pos) + 4;
    }
    if (ext > end - pos) return damaged("ID3 extended header runs past the tag");
    pos += ext;
  }
  while (end - pos >= 10 && file[pos] != 0) {
    for (std::size_t i = 0; i < 4; ++i) {
      if (!frame_id_char(file[pos + i])) {
        return damaged("bad ID3 frame id at offset " + std::to_string(pos));
      }
    }
    std::size_t size = 0;
    if (tag.major == 4) {
      const auto v = syncsafe(file, pos + 4);
      if (!v) return damaged("bad ID3 frame size at offset " + std::to_string(pos));
      size = *v;
    } else {
      size = be32(file, pos + 4);
    }
    if (size > end - pos - 10) {
      return damaged("ID3 frame at offset " + std::to_string(pos) + " runs past the tag");
    }
    tag.frames.push_back(Id3Frame{std::string(as_chars(file.subspan(pos, 4))), pos, pos + 10, size,
                                  static_cast<std::uint16_t>(file[pos + 8] << 8 | file[pos + 9])});
    pos += 10 + size;
  }
  return std::optional<Id3Tag>(std::move(tag));
}

Result<UserText> parse_user_text(ByteView data) {
  if (data.empty()) return damaged("empty TXXX frame");
  const std::uint8_t encoding = data[0];
  const ByteView text = data.subspan(1);
  UserText out;
  if (encoding == 0 || encoding == 3) {
    std::string_view all = as_chars(text);
    const auto nul = all.find('\0');
    if (nul == std::string_view::npos) {
      out.description = std::string(all);
    } else {
      out.description = std::string(all.substr(0, nul));
      out.value = std::string(all.substr(nul + 1));
    }
    if (encoding == 0) {  // ISO-8859-1 to UTF-8
      auto latin = [](const std::string& s) {
        std::string u;
        for (char c : s) append_utf8(u, static_cast<unsigned char>(c));
        return u;
      };
      out.description = latin(out.description);
      out.value = latin(out.value);
    }
  } else if (encoding == 1 || encoding == 2) {
    auto [d, v] = utf16_pair(text, encoding == 2);
    out.description = std::move(d);
    out.value = std::move(v);
  } else {
    return damaged("unknown ID3 text encoding");
  }
  while (!out.value.empty() && out.value.back() == '\0') out.value.pop_back();
  return out;
}

Bytes make_id3v24_frame(std::string_view id, std::uint16_t flags, ByteView data) {
  Bytes out(id.begin(), id.end());
  put_syncsafe(out, data.size());
  out.push_back(static_cast<std::uint8_t>(flags >> 8));
  out.push_back(static_cast<std::uint8_t>(flags));
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

Bytes make_id3v24_header(std::size_t body_size) {
  Bytes out = {'I', 'D', '3', 4, 0, 0};
  put_syncsafe(out, body_size);
  return out;
}

bool is_mpeg_audio_frame(ByteView head) {
  return frame_length(head) != 0;
}

Result<std::size_t> walk_mpeg_audio(ByteView audio) {
  std::size_t pos = 0, frames = 0;
  while (pos < audio.size()) {
    const ByteView rest = audio.subspan(pos);
    if (rest.size() == 128 && as_chars(rest.first(3)) == "TAG") break;  // ID3v1
    const std::size_t length = frame_length(rest.first(std::min<std::size_t>(4, rest.size())));
    if (length == 0) return damaged("no MPEG audio frame at offset " + std::to_string(pos));
    if (length > rest.size()) return damaged("the last MPEG audio frame is cut off (truncated)");
    pos += length;
    ++frames;
  }
  if (frames == 0) return damaged("no MPEG audio frames");
  return frames;
}

}  // namespace synthgate::media
