#include "media/gif_blocks.hpp"

namespace synthgate::media {

namespace {
tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged GIF: " + why);
}

constexpr std::size_t colour_table_size(std::uint8_t packed) {
  return (packed & 0x80) != 0 ? std::size_t{3} << ((packed & 0x07) + 1) : 0;
}

// Skips a chain of data sub-blocks starting at `pos`; returns the offset after the
// zero-length terminator, or 0 when the chain runs past the end.
std::size_t skip_sub_blocks(ByteView file, std::size_t pos) {
  while (pos < file.size()) {
    const std::size_t length = file[pos];
    if (length == 0) return pos + 1;
    pos += length + 1;
  }
  return 0;
}
}  // namespace

Result<GifLayout> walk_gif(ByteView file) {
  if (file.size() < 6 ||
      (as_chars(file.first(6)) != "GIF87a" && as_chars(file.first(6)) != "GIF89a")) {
    return fail(ErrorCode::kInvalidArgument, "not a GIF file (no GIF87a/GIF89a signature)");
  }
  if (file.size() < 13) return damaged("the file ends inside the screen descriptor (truncated)");
  GifLayout layout;
  layout.header_size = 13 + colour_table_size(file[10]);
  if (layout.header_size > file.size()) return damaged("the global colour table is truncated");
  std::size_t pos = layout.header_size;
  bool has_image = false;
  while (true) {
    if (pos >= file.size()) return damaged("no trailer (truncated)");
    GifBlock block;
    block.offset = pos;
    const std::uint8_t introducer = file[pos];
    std::size_t end = 0;
    if (introducer == 0x3b) {
      if (!has_image) return damaged("no image");
      block.kind = GifBlock::Kind::kTrailer;
      block.size = 1;
      layout.blocks.push_back(std::move(block));
      return layout;
    }
    if (introducer == 0x21) {
      if (pos + 2 > file.size()) return damaged("the file ends inside an extension");
      block.label = file[pos + 1];
      if (block.label == 0xff && pos + 14 <= file.size() && file[pos + 2] == 11) {
        block.application.assign(reinterpret_cast<const char*>(file.data() + pos + 3), 11);
        block.payload_offset = pos + 14;
      }
      end = skip_sub_blocks(file, pos + 2);
    } else if (introducer == 0x2c) {
      if (pos + 10 > file.size()) return damaged("the file ends inside an image descriptor");
      block.kind = GifBlock::Kind::kImage;
      const std::size_t data = pos + 10 + colour_table_size(file[pos + 9]);
      // The LZW minimum code size byte, then the image data sub-blocks.
      if (data + 1 > file.size()) return damaged("the file ends inside an image");
      end = skip_sub_blocks(file, data + 1);
      has_image = true;
    } else {
      return damaged("unknown block introducer at offset " + std::to_string(pos));
    }
    if (end == 0) return damaged("a block at offset " + std::to_string(pos) + " runs past the end");
    block.size = end - pos;
    layout.blocks.push_back(std::move(block));
    pos = end;
  }
}

}  // namespace synthgate::media
