#include "media/gif_stream.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "media/animated_gif.hpp"

namespace synthgate::media {

namespace {

int write_bytes(GifFileType* gif, const GifByteType* in, int n) {
  auto* out = static_cast<Bytes*>(gif->UserData);
  out->insert(out->end(), in, in + n);
  return n;
}

std::string gif_error(int code) {
  const char* text = GifErrorString(code);
  return text != nullptr ? text : "unknown giflib error";
}

struct MapFree {
  void operator()(ColorMapObject* map) const { GifFreeMapObject(map); }
};

GifPalette palette_of(const ColorMapObject* map) {
  GifPalette palette;
  if (map == nullptr || map->Colors == nullptr) return palette;
  for (int i = 0; i < map->ColorCount && i < 256; ++i) {
    palette.push_back({map->Colors[i].Red, map->Colors[i].Green, map->Colors[i].Blue});
  }
  return palette;
}

// The rows of an image in the order they are stored: interlaced images in GIF's four passes.
std::vector<int> stored_row_order(int height, bool interlaced) {
  std::vector<int> rows;
  rows.reserve(static_cast<std::size_t>(height));
  if (!interlaced) {
    for (int y = 0; y < height; ++y) rows.push_back(y);
    return rows;
  }
  constexpr std::array<std::pair<int, int>, 4> kPasses{{{0, 8}, {4, 8}, {2, 4}, {1, 2}}};
  for (const auto& [start, step] : kPasses) {
    for (int y = start; y < height; y += step) rows.push_back(y);
  }
  return rows;
}

tl::unexpected<Error> broken(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "cannot decode GIF: " + why);
}

// giflib's streaming reader, one frame (its extensions and image) at a time, with the limits
// checked before anything is allocated for an image.

}  // namespace

// Where pixel (x, y) of a row-major image `width` pixels wide is.
std::size_t pixel_offset(int x, int y, int width) {
  return static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
         static_cast<std::size_t>(x);
}

int GifReader::read_bytes(GifFileType* gif, GifByteType* out, int n) {
  auto* source = static_cast<Source*>(gif->UserData);
  const std::size_t take =
      std::min(static_cast<std::size_t>(std::max(n, 0)), source->bytes.size() - source->at);
  if (take > 0) std::memcpy(out, source->bytes.data() + source->at, take);
  source->at += take;
  return static_cast<int>(take);
}

void GifReader::Close::operator()(GifFileType* gif) const {
  int error = 0;
  DGifCloseFile(gif, &error);
}

Result<std::unique_ptr<GifReader>> GifReader::open(ByteView file, const AnimationLimits& limits) {
  if (!is_gif(file)) return fail(ErrorCode::kUnsupportedMediaType, "not a GIF");
  auto reader = std::unique_ptr<GifReader>(new GifReader(file, limits));
  int error = 0;
  reader->gif_.reset(DGifOpen(&reader->source_, GifReader::read_bytes, &error));
  if (!reader->gif_) return broken(gif_error(error));
  const GifFileType& g = *reader->gif_;
  if (g.SWidth <= 0 || g.SHeight <= 0) return broken("empty logical screen");
  if (static_cast<std::uint64_t>(g.SWidth) * static_cast<std::uint64_t>(g.SHeight) >
      limits.max_canvas_pixels) {
    return fail(ErrorCode::kInvalidArgument, "GIF screen is larger than the allowed pixel count");
  }
  reader->global_ = palette_of(g.SColorMap);
  return reader;
}

Result<std::optional<GifFrame>> GifReader::next() {
  GifFrame frame;
  for (;;) {
    GifRecordType type = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif_.get(), &type) == GIF_ERROR) {
      // Many GIFs in the wild end without their trailer: what was read stands.
      if (frames_ > 0 && source_.at >= source_.bytes.size())
        type = TERMINATE_RECORD_TYPE;
      else
        return broken(gif_error(gif_->Error));
    }
    if (type == EXTENSION_RECORD_TYPE) {
      if (auto ok = read_extension(frame); !ok) return tl::unexpected(ok.error());
    } else if (type == IMAGE_DESC_RECORD_TYPE) {
      if (auto ok = read_image(frame); !ok) return tl::unexpected(ok.error());
      return std::optional<GifFrame>(std::move(frame));
    } else if (type == TERMINATE_RECORD_TYPE) {
      if (frames_ == 0) return broken("no image");
      trailing_ = std::move(frame.extensions);
      return std::optional<GifFrame>();
    } else {
      return broken("unknown record");
    }
  }
}

Status GifReader::read_extension(GifFrame& frame) {
  int code = 0;
  GifByteType* block = nullptr;
  if (DGifGetExtension(gif_.get(), &code, &block) == GIF_ERROR) {
    return broken(gif_error(gif_->Error));
  }
  GifExtension extension{code, {}};
  while (block != nullptr) {
    extension.blocks.emplace_back(block + 1, block + 1 + block[0]);
    if (DGifGetExtensionNext(gif_.get(), &block) == GIF_ERROR) {
      return broken(gif_error(gif_->Error));
    }
  }
  const auto& blocks = extension.blocks;
  if (code == GRAPHICS_EXT_FUNC_CODE && !blocks.empty() && blocks[0].size() == 4) {
    GraphicsControlBlock control{};
    DGifExtensionToGCB(4, blocks[0].data(), &control);
    frame.control = control;
    frame.control_position = frame.extensions.size();
    return {};
  }
  if (code == APPLICATION_EXT_FUNC_CODE && blocks.size() >= 2 && blocks[0].size() == 11 &&
      std::memcmp(blocks[0].data(), "NETSCAPE2.0", 11) == 0 && blocks[1].size() >= 3 &&
      blocks[1][0] == 1) {
    loop_count_ = blocks[1][1] | (blocks[1][2] << 8);
  }
  frame.extensions.push_back(std::move(extension));
  return {};
}

Status GifReader::read_image(GifFrame& frame) {
  if (DGifGetImageDesc(gif_.get()) == GIF_ERROR) return broken(gif_error(gif_->Error));
  const GifImageDesc& desc = gif_->Image;
  if (desc.Width <= 0 || desc.Height <= 0) return broken("empty frame");
  const auto area =
      static_cast<std::uint64_t>(desc.Width) * static_cast<std::uint64_t>(desc.Height);
  const auto canvas = static_cast<std::uint64_t>(width()) * static_cast<std::uint64_t>(height());
  total_ += canvas;
  if (++frames_ > limits_.max_frames) {
    return fail(ErrorCode::kInvalidArgument, "GIF has more frames than allowed");
  }
  if (area > limits_.max_canvas_pixels || total_ > limits_.max_total_pixels) {
    return fail(ErrorCode::kInvalidArgument, "GIF is larger than the allowed pixel count");
  }
  frame.rect = cv::Rect(desc.Left, desc.Top, desc.Width, desc.Height);
  frame.interlaced = desc.Interlace;
  frame.local_palette = desc.ColorMap != nullptr;
  frame.palette = frame.local_palette ? palette_of(desc.ColorMap) : global_;
  if (frame.palette.empty()) return broken("a frame without a colour table");
  frame.indexes.resize(static_cast<std::size_t>(area));
  for (const int y : stored_row_order(desc.Height, desc.Interlace)) {
    GifPixelType* row =
        frame.indexes.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(desc.Width);
    if (DGifGetLine(gif_.get(), row, desc.Width) == GIF_ERROR) {
      return broken(gif_error(gif_->Error));
    }
  }
  return {};
}

Result<GifWriter> GifWriter::open(GifFileType& source) {
  GifWriter writer;
  writer.out_ = std::make_unique<Bytes>();
  int error = 0;
  writer.gif_ = EGifOpen(writer.out_.get(), write_bytes, &error);
  if (writer.gif_ == nullptr) return fail(ErrorCode::kInternal, "giflib: " + gif_error(error));
  EGifSetGifVersion(writer.gif_, true);
  if (EGifPutScreenDesc(writer.gif_, source.SWidth, source.SHeight, source.SColorResolution,
                        source.SBackGroundColor, source.SColorMap) == GIF_ERROR) {
    return writer.error();
  }
  return writer;
}
GifWriter::GifWriter(GifWriter&& other) noexcept
    : gif_(std::exchange(other.gif_, nullptr)), out_(std::move(other.out_)) {}

GifWriter::~GifWriter() {
  if (gif_ != nullptr) {
    int error = 0;
    EGifCloseFile(gif_, &error);
  }
}

Status GifWriter::put(const GifExtension& extension) {
  if (EGifPutExtensionLeader(gif_, extension.code) == GIF_ERROR) return error();
  for (const auto& block : extension.blocks) {
    if (EGifPutExtensionBlock(gif_, static_cast<int>(block.size()), block.data()) == GIF_ERROR) {
      return error();
    }
  }
  if (EGifPutExtensionTrailer(gif_) == GIF_ERROR) return error();
  return {};
}

Status GifWriter::put(const GraphicsControlBlock& control) {
  GifByteType bytes[4];
  EGifGCBToExtension(&control, bytes);
  if (EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, 4, bytes) == GIF_ERROR) return error();
  return {};
}

Status GifWriter::put_image(const GifFrame& frame, bool local_table) {
  std::unique_ptr<ColorMapObject, MapFree> map;
  if (local_table) {
    int size = 2;
    while (size < static_cast<int>(frame.palette.size())) size *= 2;
    std::vector<GifColorType> colours(static_cast<std::size_t>(size), GifColorType{0, 0, 0});
    for (std::size_t i = 0; i < frame.palette.size(); ++i) {
      colours[i] = {frame.palette[i][0], frame.palette[i][1], frame.palette[i][2]};
    }
    map.reset(GifMakeMapObject(size, colours.data()));
    if (!map) return fail(ErrorCode::kInternal, "giflib: cannot make a colour table");
  }
  // giflib 5.2.1 keeps a copy of a frame's local table and, when the next frame has none,
  // drops that copy without freeing it: free it here first.
  if (!map && gif_->Image.ColorMap != nullptr) {
    GifFreeMapObject(gif_->Image.ColorMap);
    gif_->Image.ColorMap = nullptr;
  }
  const cv::Rect& r = frame.rect;
  if (EGifPutImageDesc(gif_, r.x, r.y, r.width, r.height, frame.interlaced, map.get()) ==
      GIF_ERROR) {
    return error();
  }
  std::vector<GifPixelType> line(static_cast<std::size_t>(r.width));
  for (const int y : stored_row_order(r.height, frame.interlaced)) {
    std::copy_n(frame.indexes.data() + pixel_offset(0, y, r.width), r.width, line.begin());
    if (EGifPutLine(gif_, line.data(), r.width) == GIF_ERROR) return error();
  }
  return {};
}

Result<Bytes> GifWriter::finish() {
  int error_code = 0;
  const int done = EGifCloseFile(std::exchange(gif_, nullptr), &error_code);
  if (done == GIF_ERROR) return fail(ErrorCode::kInternal, "giflib: " + gif_error(error_code));
  return std::move(*out_);
}

tl::unexpected<Error> GifWriter::error() const {
  return fail(ErrorCode::kInternal, "giflib: " + gif_error(gif_->Error));
}

Status put_frame(GifWriter& writer, const GifFrame& frame) {
  for (std::size_t i = 0; i <= frame.extensions.size(); ++i) {
    if (frame.control && frame.control_position == i) {
      if (auto ok = writer.put(*frame.control); !ok) return ok;
    }
    if (i < frame.extensions.size()) {
      if (auto ok = writer.put(frame.extensions[i]); !ok) return ok;
    }
  }
  return writer.put_image(frame, frame.local_palette);
}

}  // namespace synthgate::media
