#include "media/ogg_pages.hpp"

#include <array>

namespace synthgate::media {

namespace {
constexpr std::size_t kHeader = 27;

std::array<std::uint32_t, 256> crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t r = i << 24;
    for (int j = 0; j < 8; ++j) r = (r & 0x80000000U) ? (r << 1) ^ 0x04c11db7U : r << 1;
    table[i] = r;
  }
  return table;
}

std::uint32_t le32(ByteView b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

void put_le(Bytes& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

tl::unexpected<Error> damaged(const std::string& why, std::size_t at) {
  return fail(ErrorCode::kInvalidArgument,
              "damaged Ogg: " + why + " at offset " + std::to_string(at));
}
}  // namespace

std::uint32_t ogg_crc(ByteView bytes) {
  static const std::array<std::uint32_t, 256> table = crc_table();
  std::uint32_t crc = 0;
  for (std::uint8_t b : bytes) crc = (crc << 8) ^ table[((crc >> 24) ^ b) & 0xff];
  return crc;
}

Result<std::vector<OggPage>> walk_ogg(ByteView file) {
  std::vector<OggPage> pages;
  std::size_t pos = 0;
  while (pos < file.size()) {
    const ByteView rest = file.subspan(pos);
    if (rest.size() < kHeader) return damaged("a page header is cut off (truncated)", pos);
    if (as_chars(rest.first(4)) != "OggS") return damaged("no page", pos);
    if (rest[4] != 0) return damaged("unknown Ogg version", pos);
    OggPage page;
    page.offset = pos;
    page.header_type = rest[5];
    page.granule = static_cast<std::uint64_t>(le32(rest, 10)) << 32 | le32(rest, 6);
    page.serial = le32(rest, 14);
    page.sequence = le32(rest, 18);
    const std::size_t segments = rest[26];
    if (rest.size() < kHeader + segments)
      return damaged("a lacing table is cut off (truncated)", pos);
    page.lacing.assign(rest.begin() + kHeader,
                       rest.begin() + static_cast<std::ptrdiff_t>(kHeader + segments));
    std::size_t data = 0;
    for (std::uint8_t l : page.lacing) data += l;
    page.data_offset = pos + kHeader + segments;
    page.data_size = data;
    page.size = kHeader + segments + data;
    if (page.size > rest.size()) return damaged("a page runs past the end (truncated)", pos);
    Bytes copy(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(page.size));
    std::fill_n(copy.begin() + 22, 4, 0);
    if (ogg_crc(copy) != le32(rest, 22)) return damaged("page CRC mismatch (corrupted)", pos);
    pos += page.size;
    pages.push_back(std::move(page));
  }
  if (pages.empty()) return damaged("no pages", 0);
  return pages;
}

Bytes make_ogg_page(std::uint8_t header_type, std::uint64_t granule, std::uint32_t serial,
                    std::uint32_t sequence, const std::vector<std::uint8_t>& lacing,
                    ByteView data) {
  Bytes page = {'O', 'g', 'g', 'S', 0, header_type};
  put_le(page, granule, 8);
  put_le(page, serial, 4);
  put_le(page, sequence, 4);
  put_le(page, 0, 4);
  page.push_back(static_cast<std::uint8_t>(lacing.size()));
  page.insert(page.end(), lacing.begin(), lacing.end());
  page.insert(page.end(), data.begin(), data.end());
  const std::uint32_t crc = ogg_crc(page);
  for (std::size_t i = 0; i < 4; ++i) page[22 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  return page;
}

std::vector<Bytes> page_packets(const std::vector<Bytes>& packets, std::uint32_t serial,
                                std::uint32_t first_sequence, std::uint64_t granule) {
  std::vector<Bytes> pages;
  std::vector<std::uint8_t> lacing;
  Bytes data;
  bool continued = false;  // the page being filled starts inside a packet
  bool ended = false;      // a packet ends on the page being filled
  auto flush = [&](bool next_continues) {
    // A page on which no packet ends has granule -1 (RFC 3533).
    pages.push_back(make_ogg_page(continued ? 0x01 : 0x00, ended ? granule : ~std::uint64_t{0},
                                  serial, first_sequence + static_cast<std::uint32_t>(pages.size()),
                                  lacing, data));
    lacing.clear();
    data.clear();
    continued = next_continues;
    ended = false;
  };
  for (const Bytes& packet : packets) {
    std::size_t left = packet.size();
    std::size_t at = 0;
    while (true) {
      const std::size_t piece = std::min<std::size_t>(left, 255);
      lacing.push_back(static_cast<std::uint8_t>(piece));
      data.insert(data.end(), packet.begin() + static_cast<std::ptrdiff_t>(at),
                  packet.begin() + static_cast<std::ptrdiff_t>(at + piece));
      at += piece;
      left -= piece;
      const bool packet_done = piece < 255;
      ended = ended || packet_done;
      if (lacing.size() == 255) flush(!packet_done);
      if (packet_done) break;
    }
  }
  if (!lacing.empty()) flush(false);
  return pages;
}

}  // namespace synthgate::media
