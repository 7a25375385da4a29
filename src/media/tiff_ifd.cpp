#include "media/tiff_ifd.hpp"

#include <algorithm>
#include <set>

namespace synthgate::media {

namespace {
constexpr std::size_t kMaxIfds = 4096;
constexpr std::size_t kHeaderSize = 8;

tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged TIFF: " + why);
}

std::size_t type_size(std::uint16_t type) {
  switch (type) {
    case 1:  // BYTE
    case 2:  // ASCII
    case 6:  // SBYTE
    case 7:  // UNDEFINED
      return 1;
    case 3:  // SHORT
    case 8:  // SSHORT
      return 2;
    case 4:   // LONG
    case 9:   // SLONG
    case 11:  // FLOAT
    case 13:  // IFD
      return 4;
    case 5:   // RATIONAL
    case 10:  // SRATIONAL
    case 12:  // DOUBLE
      return 8;
    default:
      return 0;
  }
}

// The n-th value of a SHORT or LONG entry.
std::size_t number(ByteView file, const TiffEntry& e, std::size_t n, bool le) {
  return e.type == 3 ? tiff_u16(file, e.value_offset + 2 * n, le)
                     : tiff_u32(file, e.value_offset + 4 * n, le);
}

const TiffEntry* find(const TiffIfd& ifd, std::uint16_t tag) {
  for (const auto& e : ifd.entries) {
    if (e.tag == tag) return &e;
  }
  return nullptr;
}

// Adds the strips (273/279) or tiles (324/325) of an IFD; false when none.
Result<bool> add_image_data(ByteView file, const TiffIfd& ifd, bool le, TiffLayout& layout) {
  for (auto [offsets_tag, counts_tag] : {std::pair<std::uint16_t, std::uint16_t>{273, 279},
                                         std::pair<std::uint16_t, std::uint16_t>{324, 325}}) {
    const TiffEntry* offsets = find(ifd, offsets_tag);
    const TiffEntry* counts = find(ifd, counts_tag);
    if (offsets == nullptr && counts == nullptr) continue;
    if (offsets == nullptr || counts == nullptr || offsets->count != counts->count ||
        (offsets->type != 3 && offsets->type != 4) || (counts->type != 3 && counts->type != 4)) {
      return damaged("inconsistent strip or tile tables");
    }
    for (std::size_t i = 0; i < offsets->count; ++i) {
      const std::size_t at = number(file, *offsets, i, le);
      const std::size_t size = number(file, *counts, i, le);
      if (at > file.size() || size > file.size() - at) {
        return damaged("image data runs past the end (truncated)");
      }
      if (at < kHeaderSize && size > 0) return damaged("image data overlaps the header");
      layout.image_data.emplace_back(at, size);
    }
    return true;
  }
  return false;
}
}  // namespace

std::uint32_t tiff_u32(ByteView b, std::size_t at, bool le) {
  if (le) {
    return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
           static_cast<std::uint32_t>(b[at + 2]) << 16 |
           static_cast<std::uint32_t>(b[at + 3]) << 24;
  }
  return static_cast<std::uint32_t>(b[at]) << 24 | static_cast<std::uint32_t>(b[at + 1]) << 16 |
         static_cast<std::uint32_t>(b[at + 2]) << 8 | static_cast<std::uint32_t>(b[at + 3]);
}

std::uint16_t tiff_u16(ByteView b, std::size_t at, bool le) {
  return le ? static_cast<std::uint16_t>(b[at] | b[at + 1] << 8)
            : static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

Result<TiffLayout> walk_tiff(ByteView file) {
  if (file.size() < 4 ||
      !((file[0] == 'I' && file[1] == 'I') || (file[0] == 'M' && file[1] == 'M'))) {
    return fail(ErrorCode::kInvalidArgument, "not a TIFF file (no II/MM header)");
  }
  TiffLayout layout;
  layout.little_endian = file[0] == 'I';
  const bool le = layout.little_endian;
  const std::uint16_t magic = tiff_u16(file, 2, le);
  if (magic == 43) {
    return fail(ErrorCode::kUnsupportedMediaType, "BigTIFF is not supported (classic TIFF only)");
  }
  if (magic != 42) return fail(ErrorCode::kInvalidArgument, "not a TIFF file (bad magic number)");
  if (file.size() < 8) return damaged("the file ends inside the header (truncated)");

  std::set<std::size_t> seen;
  std::size_t next = tiff_u32(file, 4, le);
  if (next == 0) return damaged("no IFD0");
  while (next != 0) {
    if (layout.ifds.size() >= kMaxIfds || !seen.insert(next).second) {
      return damaged("the IFD chain loops");
    }
    if (next > file.size() || file.size() - next < 2)
      return damaged("an IFD runs past the end (truncated)");
    if (next < kHeaderSize) return damaged("an IFD overlaps the header");
    TiffIfd ifd;
    ifd.offset = next;
    const std::size_t count = tiff_u16(file, next, le);
    if (count == 0) return damaged("an IFD without entries");
    if ((file.size() - next - 2) / 12 < count || file.size() - next - 2 - count * 12 < 4) {
      return damaged("an IFD runs past the end (truncated)");
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t at = next + 2 + 12 * i;
      TiffEntry e;
      e.tag = tiff_u16(file, at, le);
      e.type = tiff_u16(file, at + 2, le);
      e.count = tiff_u32(file, at + 4, le);
      e.value_size = type_size(e.type) * e.count;
      e.value_offset = at + 8;
      if (e.value_size > 4) {
        e.value_offset = tiff_u32(file, at + 8, le);
        if (e.value_offset > file.size() || e.value_size > file.size() - e.value_offset) {
          return damaged("the value of tag " + std::to_string(e.tag) + " runs past the end");
        }
        if (e.value_offset < kHeaderSize) {
          return damaged("the value of tag " + std::to_string(e.tag) + " overlaps the header");
        }
      }
      ifd.entries.push_back(e);
    }
    next = tiff_u32(file, next + 2 + count * 12, le);
    layout.ifds.push_back(std::move(ifd));
    auto has_data = add_image_data(file, layout.ifds.back(), le, layout);
    if (!has_data) return tl::unexpected(has_data.error());
    if (layout.ifds.size() == 1 && !*has_data) return damaged("IFD0 has no image data");
  }
  return layout;
}

}  // namespace synthgate::media
