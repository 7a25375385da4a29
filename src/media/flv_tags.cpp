#include "media/flv_tags.hpp"

#include <optional>

namespace synthgate::media {

namespace {
tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged FLV: " + why);
}

std::size_t be(ByteView b, std::size_t at, std::size_t n) {
  std::size_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v << 8 | b[at + i];
  return v;
}

void put_be(Bytes& out, std::size_t v, std::size_t n) {
  for (std::size_t i = n; i-- > 0;) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

constexpr int kMaxDepth = 16;

// The size of the AMF0 value at `at` (type marker included).
Result<std::size_t> value_size(ByteView d, std::size_t at, int depth);

// Properties (u16 key, value) until the 00 00 09 end marker; returns the size consumed.
Result<std::size_t> properties_size(ByteView d, std::size_t at, int depth,
                                    std::vector<AmfProperty>* out) {
  std::size_t pos = at;
  while (true) {
    if (d.size() - pos < 3) return damaged("an AMF object runs past its tag");
    const std::size_t key_length = be(d, pos, 2);
    if (key_length == 0 && d[pos + 2] == 9) return pos + 3 - at;
    if (d.size() - pos - 2 < key_length) return damaged("an AMF key runs past its tag");
    std::string key(as_chars(d.subspan(pos + 2, key_length)));
    pos += 2 + key_length;
    auto size = value_size(d, pos, depth + 1);
    if (!size) return tl::unexpected(size.error());
    if (out) out->push_back(AmfProperty{std::move(key), d.subspan(pos, *size)});
    pos += *size;
  }
}

Result<std::size_t> value_size(ByteView d, std::size_t at, int depth) {
  if (depth > kMaxDepth) return damaged("AMF values nested too deep");
  if (at >= d.size()) return damaged("an AMF value runs past its tag");
  const std::size_t left = d.size() - at - 1;
  auto fixed = [&](std::size_t n) -> Result<std::size_t> {
    if (left < n) return damaged("an AMF value runs past its tag");
    return 1 + n;
  };
  switch (d[at]) {
    case 0x00:  // number
      return fixed(8);
    case 0x01:  // boolean
      return fixed(1);
    case 0x02: {  // string
      if (left < 2) return damaged("an AMF string runs past its tag");
      return fixed(2 + be(d, at + 1, 2));
    }
    case 0x0C: {  // long string
      if (left < 4) return damaged("an AMF string runs past its tag");
      return fixed(4 + be(d, at + 1, 4));
    }
    case 0x03: {  // object
      auto inner = properties_size(d, at + 1, depth, nullptr);
      if (!inner) return tl::unexpected(inner.error());
      return 1 + *inner;
    }
    case 0x08: {  // ECMA array: count, then properties
      if (left < 4) return damaged("an AMF array runs past its tag");
      auto inner = properties_size(d, at + 5, depth, nullptr);
      if (!inner) return tl::unexpected(inner.error());
      return 5 + *inner;
    }
    case 0x0A: {  // strict array
      if (left < 4) return damaged("an AMF array runs past its tag");
      const std::size_t count = be(d, at + 1, 4);
      std::size_t pos = at + 5;
      for (std::size_t i = 0; i < count; ++i) {
        auto size = value_size(d, pos, depth + 1);
        if (!size) return tl::unexpected(size.error());
        pos += *size;
      }
      return pos - at;
    }
    case 0x0B:  // date
      return fixed(10);
    case 0x05:  // null
    case 0x06:  // undefined
      return 1;
    default:
      return damaged("unknown AMF value type");
  }
}
}  // namespace

Result<FlvLayout> walk_flv(ByteView file) {
  if (file.size() < 9 || as_chars(file.first(3)) != "FLV") {
    return fail(ErrorCode::kInvalidArgument, "not an FLV file");
  }
  if (file[3] != 1) return damaged("unknown FLV version");
  const std::size_t header = be(file, 5, 4);
  if (header < 9 || header > file.size() || file.size() - header < 4) {
    return damaged("the header is cut off (truncated)");
  }
  FlvLayout layout;
  layout.body_offset = header + 4;
  std::size_t pos = layout.body_offset;
  while (pos < file.size()) {
    if (file.size() - pos < 11) return damaged("a tag header is cut off (truncated)");
    FlvTag tag{static_cast<std::uint8_t>(file[pos] & 0x1f), pos, pos + 11, be(file, pos + 1, 3)};
    if (file[pos] & 0x20) return fail(ErrorCode::kUnsupportedMediaType, "encrypted FLV tags");
    if (file.size() - tag.data_offset < tag.data_size + 4) {
      return damaged("a tag runs past the end (truncated)");
    }
    if (be(file, tag.data_offset + tag.data_size, 4) != 11 + tag.data_size) {
      return damaged("a PreviousTagSize does not match its tag");
    }
    pos = tag.end();
    layout.tags.push_back(tag);
  }
  return layout;
}

Result<std::optional<OnMetaData>> parse_on_metadata(ByteView d) {
  if (d.size() < 3 || d[0] != 0x02) return std::optional<OnMetaData>{};
  const std::size_t name_length = be(d, 1, 2);
  if (d.size() - 3 < name_length) return damaged("a script tag name runs past its tag");
  if (as_chars(d.subspan(3, name_length)) != "onMetaData") return std::optional<OnMetaData>{};
  std::size_t pos = 3 + name_length;
  if (pos >= d.size()) return damaged("onMetaData without a value");
  OnMetaData meta;
  if (d[pos] == 0x08) {
    if (d.size() - pos < 5) return damaged("onMetaData array cut off");
    pos += 5;
  } else if (d[pos] == 0x03) {
    pos += 1;
  } else {
    return damaged("onMetaData is not an array or object");
  }
  auto size = properties_size(d, pos, 0, &meta.properties);
  if (!size) return tl::unexpected(size.error());
  return std::optional<OnMetaData>(std::move(meta));
}

Result<Bytes> serialize_on_metadata(const OnMetaData& meta) {
  // "onMetaData" as an AMF0 string, then an ECMA array.
  Bytes out = {0x02, 0x00, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0x08};
  put_be(out, meta.properties.size(), 4);
  for (const AmfProperty& p : meta.properties) {
    if (p.key.size() > 0xffff) return damaged("an AMF key longer than 65535 bytes");
    put_be(out, p.key.size(), 2);
    out.insert(out.end(), p.key.begin(), p.key.end());
    out.insert(out.end(), p.value.begin(), p.value.end());
  }
  out.insert(out.end(), {0x00, 0x00, 0x09});
  if (out.size() >= (std::size_t{1} << 24)) return damaged("onMetaData of 16 MiB or more");
  return out;
}

Bytes make_flv_tag(ByteView like_header, ByteView data) {
  Bytes out = {like_header[0]};
  put_be(out, data.size(), 3);
  out.insert(out.end(), like_header.begin() + 4, like_header.begin() + 11);
  out.insert(out.end(), data.begin(), data.end());
  put_be(out, 11 + data.size(), 4);
  return out;
}

Bytes amf_string(std::string_view text) {
  Bytes out;
  if (text.size() <= 0xffff) {
    out.push_back(0x02);
    put_be(out, text.size(), 2);
  } else {
    out.push_back(0x0C);
    put_be(out, text.size(), 4);
  }
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

std::optional<std::string> amf_text(ByteView value) {
  if (value.size() >= 3 && value[0] == 0x02) return std::string(as_chars(value.subspan(3)));
  if (value.size() >= 5 && value[0] == 0x0C) return std::string(as_chars(value.subspan(5)));
  return std::nullopt;
}

}  // namespace synthgate::media
