#include "media/matroska_elements.hpp"

namespace synthgate::media {

namespace {
tl::unexpected<Error> damaged(const std::string& why, std::size_t at) {
  return fail(ErrorCode::kInvalidArgument,
              "damaged Matroska: " + why + " at offset " + std::to_string(at));
}

// The length of a variable-length integer from its first byte (0 when invalid).
std::size_t vint_length(std::uint8_t first) {
  for (std::size_t length = 1; length <= 8; ++length) {
    if (first & (0x80 >> (length - 1))) return length;
  }
  return 0;
}
}  // namespace

Result<std::vector<EbmlElement>> walk_ebml(ByteView data, std::size_t base) {
  std::vector<EbmlElement> elements;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::size_t at = base + pos;
    const std::size_t id_length = vint_length(data[pos]);
    if (id_length == 0 || id_length > 4) return damaged("bad element ID", at);
    if (data.size() - pos < id_length + 1) return damaged("an element header is cut off", at);
    std::uint32_t id = 0;
    for (std::size_t i = 0; i < id_length; ++i) id = id << 8 | data[pos + i];
    const std::size_t size_length = vint_length(data[pos + id_length]);
    if (size_length == 0) return damaged("bad element size", at);
    if (data.size() - pos - id_length < size_length)
      return damaged("an element size is cut off", at);
    std::uint64_t size = data[pos + id_length] & ((0x80u >> (size_length - 1)) - 1);
    bool all_ones = size == ((0x80u >> (size_length - 1)) - 1);
    for (std::size_t i = 1; i < size_length; ++i) {
      size = size << 8 | data[pos + id_length + i];
      all_ones = all_ones && data[pos + id_length + i] == 0xff;
    }
    if (all_ones) return damaged("an element of unknown size (live stream)", at);
    const std::size_t header = id_length + size_length;
    if (size > data.size() - pos - header) {
      return damaged("an element runs past the end (truncated)", at);
    }
    elements.push_back(EbmlElement{id, at, header, size_length, static_cast<std::size_t>(size)});
    pos += header + static_cast<std::size_t>(size);
  }
  return elements;
}

std::uint64_t ebml_uint(ByteView data) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < data.size() && i < 8; ++i) v = v << 8 | data[i];
  return v;
}

Bytes ebml_id_bytes(std::uint32_t id) {
  Bytes out;
  bool started = false;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const auto byte = static_cast<std::uint8_t>(id >> shift);
    if (byte != 0 || started || shift == 0) {
      out.push_back(byte);
      started = true;
    }
  }
  return out;
}

Result<Bytes> ebml_size_bytes(std::uint64_t size, std::size_t width) {
  if (width == 0) {
    width = 1;
    while (width < 8 && size >= (std::uint64_t{1} << (7 * width)) - 1) ++width;
  }
  if (width > 8 || (width < 8 && size >= (std::uint64_t{1} << (7 * width)) - 1) ||
      (width == 8 && size >= (std::uint64_t{1} << 56) - 1)) {
    return fail(ErrorCode::kInvalidArgument, "an EBML size does not fit its field");
  }
  Bytes out(width);
  for (std::size_t i = 0; i < width; ++i) {
    out[width - 1 - i] = static_cast<std::uint8_t>(size >> (8 * i));
  }
  out[0] = static_cast<std::uint8_t>(out[0] | (0x80 >> (width - 1)));
  return out;
}

Bytes ebml_element(std::uint32_t id, ByteView data) {
  Bytes out = ebml_id_bytes(id);
  const Bytes size = *ebml_size_bytes(data.size());
  out.insert(out.end(), size.begin(), size.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

Bytes ebml_uint_element(std::uint32_t id, std::uint64_t value) {
  Bytes data;
  for (int shift = 56; shift >= 0; shift -= 8) {
    const auto byte = static_cast<std::uint8_t>(value >> shift);
    if (byte != 0 || !data.empty() || shift == 0) data.push_back(byte);
  }
  return ebml_element(id, data);
}

Bytes ebml_void(std::size_t total) {
  // One ID byte, then a size field of 1 byte (up to 126 bytes of data) or 8 bytes.
  const std::size_t width = total - 2 <= 126 ? 1 : 8;
  Bytes out = {0xEC};
  const Bytes size = *ebml_size_bytes(total - 1 - width, width);
  out.insert(out.end(), size.begin(), size.end());
  out.resize(total, 0);
  return out;
}

}  // namespace synthgate::media
