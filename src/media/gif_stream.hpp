#pragma once

// giflib's streaming reader and writer, frame by frame: what animated_gif composes and edits.
#include <gif_lib.h>

#include <opencv2/core/types.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"
#include "media/animation.hpp"

namespace synthgate::media {

using GifColour = std::array<std::uint8_t, 3>;  // R, G, B as a colour table stores them
using GifPalette = std::vector<GifColour>;

struct GifExtension {
  int code = 0;
  std::vector<Bytes> blocks;  // each sub-block's data, without its length byte
};

struct GifFrame {
  cv::Rect rect;  // left, top, width, height as stored (may reach past the screen)
  bool interlaced = false;
  bool local_palette = false;
  GifPalette palette;                 // the table in force: local, else global
  std::vector<std::uint8_t> indexes;  // rect.area() pixels, row-major
  std::optional<GraphicsControlBlock> control;
  std::size_t control_position = 0;      // among `extensions`: where the control block was
  std::vector<GifExtension> extensions;  // the other extensions before the image, in order

  int transparent() const { return control ? control->TransparentColor : NO_TRANSPARENT_COLOR; }
  int disposal() const { return control ? control->DisposalMode : DISPOSAL_UNSPECIFIED; }
};

// Where pixel (x, y) of a row-major image `width` pixels wide is.
std::size_t pixel_offset(int x, int y, int width);

// giflib's streaming reader, one frame (its extensions and image) at a time, with the limits
// checked before anything is allocated for an image.
class GifReader {
 public:
  static Result<std::unique_ptr<GifReader>> open(ByteView file, const AnimationLimits& limits);

  GifFileType& gif() { return *gif_; }
  int width() const { return gif_->SWidth; }
  int height() const { return gif_->SHeight; }
  int loop_count() const { return loop_count_; }
  const std::vector<GifExtension>& trailing() const { return trailing_; }

  // The next frame; nothing at the trailer (the extensions after the last image are kept in
  // trailing()).
  Result<std::optional<GifFrame>> next();

 private:
  struct Source {
    ByteView bytes;
    std::size_t at = 0;
  };
  struct Close {
    void operator()(GifFileType* gif) const;
  };
  static int read_bytes(GifFileType* gif, GifByteType* out, int n);

  GifReader(ByteView file, const AnimationLimits& limits) : source_{file, 0}, limits_(limits) {}
  Status read_extension(GifFrame& frame);
  Status read_image(GifFrame& frame);

  Source source_;
  AnimationLimits limits_;
  std::unique_ptr<GifFileType, Close> gif_;
  GifPalette global_;
  int loop_count_ = -1;
  std::uint64_t frames_ = 0;
  std::uint64_t total_ = 0;
  std::vector<GifExtension> trailing_;
};

// giflib's streaming writer: the screen of a source, then frames and extensions as given.
class GifWriter {
 public:
  static Result<GifWriter> open(GifFileType& source);
  GifWriter() = default;
  GifWriter(GifWriter&& other) noexcept;
  GifWriter& operator=(GifWriter&&) = delete;
  GifWriter(const GifWriter&) = delete;
  GifWriter& operator=(const GifWriter&) = delete;
  ~GifWriter();

  Status put(const GifExtension& extension);
  Status put(const GraphicsControlBlock& control);
  Status put_image(const GifFrame& frame, bool local_table);
  // The file: the trailer written and giflib closed.
  Result<Bytes> finish();

 private:
  tl::unexpected<Error> error() const;

  GifFileType* gif_ = nullptr;
  std::unique_ptr<Bytes> out_;  // where giflib writes: its address must not move
};

// A frame's extensions (its control block where it was) and image.
Status put_frame(GifWriter& writer, const GifFrame& frame);

}  // namespace synthgate::media
