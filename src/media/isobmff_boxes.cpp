#include "media/isobmff_boxes.hpp"

namespace synthgate::media {

namespace {
tl::unexpected<Error> damaged(const std::string& why, std::uint64_t at) {
  return fail(ErrorCode::kInvalidArgument,
              "damaged MP4: " + why + " at offset " + std::to_string(at));
}

// One box header from the first bytes at `at`; `head` holds up to 16 bytes from there.
Result<IsoBox> parse_header(ByteView head, std::uint64_t at, std::uint64_t remaining) {
  if (head.size() < 8) return damaged("a box header is cut off", at);
  IsoBox box;
  box.offset = at;
  box.type = std::string(as_chars(head.subspan(4, 4)));
  const std::uint32_t size32 = read_be32(head, 0);
  if (size32 == 1) {
    if (head.size() < 16) return damaged("a 64-bit box header is cut off", at);
    box.header_size = 16;
    box.size = read_be64(head, 8);
  } else if (size32 == 0) {
    box.to_end = true;
    box.size = remaining;
  } else {
    box.size = size32;
  }
  if (box.size < box.header_size) return damaged("box smaller than its header", at);
  if (box.size > remaining) {
    return damaged("'" + box.type + "' box runs past the end (truncated)", at);
  }
  return box;
}
}  // namespace

std::uint32_t read_be32(ByteView b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) << 24 | static_cast<std::uint32_t>(b[at + 1]) << 16 |
         static_cast<std::uint32_t>(b[at + 2]) << 8 | static_cast<std::uint32_t>(b[at + 3]);
}

std::uint64_t read_be64(ByteView b, std::size_t at) {
  return static_cast<std::uint64_t>(read_be32(b, at)) << 32 | read_be32(b, at + 4);
}

void append_be32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void append_be64(Bytes& out, std::uint64_t v) {
  append_be32(out, static_cast<std::uint32_t>(v >> 32));
  append_be32(out, static_cast<std::uint32_t>(v));
}

Result<Bytes> make_box(std::string_view type, ByteView payload) {
  if (payload.size() > 0xffffffffULL - 8) {
    return fail(ErrorCode::kInvalidArgument, "an MP4 box of 4 GiB or more cannot be rebuilt");
  }
  Bytes out;
  out.reserve(payload.size() + 8);
  append_be32(out, static_cast<std::uint32_t>(payload.size() + 8));
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Result<std::vector<IsoBox>> walk_boxes(ByteView data) {
  std::vector<IsoBox> boxes;
  std::uint64_t pos = 0;
  while (pos < data.size()) {
    const auto at = static_cast<std::size_t>(pos);
    const std::size_t remaining = data.size() - at;
    auto box = parse_header(data.subspan(at, std::min<std::size_t>(16, remaining)), pos, remaining);
    if (!box) return tl::unexpected(box.error());
    pos += box->size;
    boxes.push_back(std::move(*box));
  }
  return boxes;
}

Result<std::vector<IsoBox>> walk_top_level_boxes(const ByteSource& file) {
  std::vector<IsoBox> boxes;
  const std::uint64_t end = file.size();
  std::uint64_t pos = 0;
  while (pos < end) {
    const std::uint64_t remaining = end - pos;
    auto head = file.read_at(pos, static_cast<std::size_t>(std::min<std::uint64_t>(16, remaining)));
    if (!head) return tl::unexpected(head.error());
    auto box = parse_header(*head, pos, remaining);
    if (!box) return tl::unexpected(box.error());
    pos += box->size;
    boxes.push_back(std::move(*box));
  }
  return boxes;
}

}  // namespace synthgate::media
