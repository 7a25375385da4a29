#include "metadata/tiff_xmp_carrier.hpp"

#include <algorithm>
#include <limits>

#include "media/tiff_ifd.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::uint16_t kUndefined = 7;

void put(Bytes& out, std::uint32_t v, int bytes, bool le) {
  for (int i = 0; i < bytes; ++i) {
    const int shift = le ? 8 * i : 8 * (bytes - 1 - i);
    out.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

const media::TiffEntry* xmp_entry(const media::TiffIfd& ifd) {
  for (const auto& e : ifd.entries) {
    if (e.tag == media::kTiffXmpTag) return &e;
  }
  return nullptr;
}

bool by_tag(const media::TiffEntry& a, const media::TiffEntry& b) {
  return a.tag < b.tag;
}

std::size_t ifd_size(const media::TiffIfd& ifd) {
  return 2 + 12 * ifd.entries.size() + 4;
}

// Where the file can be cut to drop a packet and IFD0 that an earlier write appended: the
// packet's offset when the file ends with exactly [packet][pad][IFD0] and nothing else
// points there; the file's size otherwise.
std::size_t reusable_tail(ByteView file, const media::TiffLayout& layout) {
  const media::TiffIfd& ifd0 = layout.ifds.front();
  const media::TiffEntry* xmp = xmp_entry(ifd0);
  if (xmp == nullptr || xmp->value_size <= 4) return file.size();
  const std::size_t start = xmp->value_offset;
  const std::size_t packet_end = start + xmp->value_size;
  if (ifd0.offset + ifd_size(ifd0) != file.size() || ifd0.offset < packet_end ||
      ifd0.offset - packet_end > 1) {
    return file.size();
  }
  for (const auto& ifd : layout.ifds) {
    if (&ifd != &ifd0 && ifd.offset + ifd_size(ifd) > start) return file.size();
    for (const auto& e : ifd.entries) {
      if (&e != xmp && e.value_size > 4 && e.value_offset + e.value_size > start)
        return file.size();
    }
  }
  for (const auto& [at, size] : layout.image_data) {
    if (at + size > start) return file.size();
  }
  return start;
}
}  // namespace

bool TiffXmpCarrier::recognises(ByteView head) const {
  return head.size() >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0) ||
                              (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42));
}

Result<std::vector<std::string>> TiffXmpCarrier::packets(ByteView file) const {
  auto layout = media::walk_tiff(file);
  if (!layout) return tl::unexpected(layout.error());
  std::vector<std::string> out;
  for (const auto& e : layout->ifds.front().entries) {
    if (e.tag == media::kTiffXmpTag)
      out.emplace_back(as_chars(file.subspan(e.value_offset, e.value_size)));
  }
  return out;
}

Result<Bytes> TiffXmpCarrier::with_packet(ByteView file, std::string_view packet) const {
  auto layout = media::walk_tiff(file);
  if (!layout) return tl::unexpected(layout.error());
  const bool le = layout->little_endian;
  const media::TiffIfd& ifd0 = layout->ifds.front();
  Bytes out(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(reusable_tail(file, *layout)));
  if (out.size() % 2 != 0) out.push_back(0);  // values and IFDs start on a word boundary
  const std::size_t packet_at = out.size();
  out.insert(out.end(), packet.begin(), packet.end());
  if (out.size() % 2 != 0) out.push_back(0);
  const std::size_t ifd_at = out.size();
  if (ifd_at + ifd_size(ifd0) + 12 > std::numeric_limits<std::uint32_t>::max()) {
    return fail(ErrorCode::kInvalidArgument,
                "the TIFF would exceed 4 GiB (BigTIFF is not supported)");
  }

  std::vector<media::TiffEntry> entries;
  for (const auto& e : ifd0.entries) {
    if (e.tag != media::kTiffXmpTag) entries.push_back(e);
  }
  media::TiffEntry xmp;
  xmp.tag = media::kTiffXmpTag;
  xmp.type = kUndefined;
  xmp.count = static_cast<std::uint32_t>(packet.size());
  xmp.value_offset = packet_at;
  xmp.value_size = packet.size();
  entries.push_back(xmp);
  if (entries.size() > 0xffff)
    return fail(ErrorCode::kInvalidArgument, "damaged TIFF: IFD0 is full");
  std::stable_sort(entries.begin(), entries.end(), by_tag);

  put(out, static_cast<std::uint32_t>(entries.size()), 2, le);
  for (const auto& e : entries) {
    put(out, e.tag, 2, le);
    put(out, e.type, 2, le);
    put(out, e.count, 4, le);
    if (e.value_size > 4) {
      put(out, static_cast<std::uint32_t>(e.value_offset), 4, le);
    } else if (e.tag == media::kTiffXmpTag) {
      Bytes inline_value(packet.begin(), packet.end());
      inline_value.resize(4, 0);
      out.insert(out.end(), inline_value.begin(), inline_value.end());
    } else {
      // The entry's own four value bytes, copied from where they were.
      const std::size_t raw = e.value_offset;
      out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(raw),
                 file.begin() + static_cast<std::ptrdiff_t>(raw + 4));
    }
  }
  const std::size_t next_at = ifd0.offset + 2 + 12 * ifd0.entries.size();
  out.insert(out.end(), file.begin() + static_cast<std::ptrdiff_t>(next_at),
             file.begin() + static_cast<std::ptrdiff_t>(next_at + 4));
  // The header's IFD0 offset.
  Bytes header;
  put(header, static_cast<std::uint32_t>(ifd_at), 4, le);
  std::copy(header.begin(), header.end(), out.begin() + 4);
  return out;
}

Result<Sha256Digest> TiffXmpCarrier::digest_without_packets(ByteView file) const {
  auto layout = media::walk_tiff(file);
  if (!layout) return tl::unexpected(layout.error());
  Sha256Hasher hasher;
  hasher.update(file.first(4));
  for (std::size_t i = 0; i < layout->ifds.size(); ++i) {
    // In tag order: a label write sorts IFD0.
    std::vector<media::TiffEntry> entries = layout->ifds[i].entries;
    std::stable_sort(entries.begin(), entries.end(), by_tag);
    for (const auto& e : entries) {
      if (i == 0 && e.tag == media::kTiffXmpTag) continue;
      Bytes head;
      put(head, e.tag, 2, true);
      put(head, e.type, 2, true);
      put(head, e.count, 4, true);
      hasher.update(head);
      hasher.update(file.subspan(e.value_offset, std::max<std::size_t>(e.value_size, 4)));
    }
    hasher.update(as_bytes("\n"));
  }
  for (const auto& [at, size] : layout->image_data) hasher.update(file.subspan(at, size));
  return hasher.finish();
}

}  // namespace synthgate::metadata
