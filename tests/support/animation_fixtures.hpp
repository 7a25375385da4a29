#pragma once

// Animated GIF and WebP made in the test with giflib's and libwebp's own encoders: five frames
// of distinct content, delays of their own, loop count 3; the GIF has a local colour table, a
// sub-rectangle cleared after it (disposal 2), one restored (disposal 3) with transparent
// pixels, and an interlaced frame.
#include <gif_lib.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include <array>
#include <cstdint>
#include <vector>

namespace synthgate::testing {

inline constexpr int kAnimationWidth = 200;
inline constexpr int kAnimationHeight = 150;
inline constexpr int kAnimationLoops = 3;

struct GifFrameSpec {
  int x, y, width, height;
  int delay_cs;
  int disposal;
  int transparent;  // NO_TRANSPARENT_COLOR or an index
  bool interlaced;
  bool local_table;
};

inline const std::array<GifFrameSpec, 5>& gif_frame_specs() {
  static const std::array<GifFrameSpec, 5> specs{{
      {0, 0, kAnimationWidth, kAnimationHeight, 10, DISPOSE_DO_NOT, NO_TRANSPARENT_COLOR, false,
       false},
      {0, 0, kAnimationWidth, kAnimationHeight, 20, DISPOSE_DO_NOT, NO_TRANSPARENT_COLOR, false,
       true},
      {30, 20, 90, 70, 30, DISPOSE_BACKGROUND, 0, false, false},
      {120, 100, 80, 50, 40, DISPOSE_PREVIOUS, 5, false, false},
      {0, 0, kAnimationWidth, kAnimationHeight, 50, DISPOSAL_UNSPECIFIED, NO_TRANSPARENT_COLOR,
       true, false},
  }};
  return specs;
}

// Each frame's index for pixel (x, y) of its rectangle: stripes, checks and diagonals, so
// that every frame differs from the one before.
inline std::uint8_t gif_fixture_index(int frame, int x, int y) {
  switch (frame) {
    case 0:
      return static_cast<std::uint8_t>((y / 12) % 16);
    case 1:
      return static_cast<std::uint8_t>(((x / 10) + (y / 10)) % 2 == 0 ? 3 : 12);
    case 2:
      return static_cast<std::uint8_t>((x + y) % 5 == 0 ? 0 : 1 + (x / 9) % 15);
    case 3:
      return static_cast<std::uint8_t>(x % 4 == 0 ? 5 : 9 + (y / 5) % 6);
    default:
      return static_cast<std::uint8_t>(((x + 2 * y) / 14) % 16);
  }
}

inline std::vector<std::uint8_t> make_animated_gif() {
  std::vector<std::uint8_t> out;
  int error = 0;
  GifFileType* gif = EGifOpen(
      &out,
      [](GifFileType* f, const GifByteType* bytes, int n) {
        auto* o = static_cast<std::vector<std::uint8_t>*>(f->UserData);
        o->insert(o->end(), bytes, bytes + n);
        return n;
      },
      &error);
  std::array<GifColorType, 16> global{};
  std::array<GifColorType, 16> local{};
  for (int i = 0; i < 16; ++i) {
    const auto v = static_cast<GifByteType>(i * 17);
    global[static_cast<std::size_t>(i)] = {v, static_cast<GifByteType>(255 - v),
                                           static_cast<GifByteType>((i * 70) % 256)};
    local[static_cast<std::size_t>(i)] = {static_cast<GifByteType>((i * 40) % 256), v, v};
  }
  ColorMapObject* global_map = GifMakeMapObject(16, global.data());
  ColorMapObject* local_map = GifMakeMapObject(16, local.data());
  EGifSetGifVersion(gif, true);
  EGifPutScreenDesc(gif, kAnimationWidth, kAnimationHeight, 8, 0, global_map);
  EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE);
  EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0");
  const std::array<GifByteType, 3> loop{1, kAnimationLoops, 0};
  EGifPutExtensionBlock(gif, 3, loop.data());
  EGifPutExtensionTrailer(gif);
  int frame = 0;
  for (const auto& s : gif_frame_specs()) {
    GraphicsControlBlock control{s.disposal, false, s.delay_cs, s.transparent};
    std::array<GifByteType, 4> extension{};
    EGifGCBToExtension(&control, extension.data());
    EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, extension.data());
    if (!s.local_table && gif->Image.ColorMap != nullptr) {
      GifFreeMapObject(gif->Image.ColorMap);  // giflib 5.2.1 would drop it unfreed
      gif->Image.ColorMap = nullptr;
    }
    EGifPutImageDesc(gif, s.x, s.y, s.width, s.height, s.interlaced,
                     s.local_table ? local_map : nullptr);
    std::vector<int> rows;
    if (s.interlaced) {
      for (const auto& [start, step] :
           std::array<std::pair<int, int>, 4>{{{0, 8}, {4, 8}, {2, 4}, {1, 2}}}) {
        for (int y = start; y < s.height; y += step) rows.push_back(y);
      }
    } else {
      for (int y = 0; y < s.height; ++y) rows.push_back(y);
    }
    std::vector<GifPixelType> line(static_cast<std::size_t>(s.width));
    for (const int y : rows) {
      for (int x = 0; x < s.width; ++x)
        line[static_cast<std::size_t>(x)] = gif_fixture_index(frame, x, y);
      EGifPutLine(gif, line.data(), s.width);
    }
    ++frame;
  }
  EGifCloseFile(gif, &error);
  GifFreeMapObject(global_map);
  GifFreeMapObject(local_map);
  return out;
}

inline constexpr std::array<int, 5> kWebpDurationsMs{100, 200, 300, 400, 500};

// Five RGBA frames; the third changes only a sub-rectangle; the fourth is half transparent.
inline std::vector<std::uint8_t> make_animated_webp(bool lossless, int width = kAnimationWidth,
                                                    int height = kAnimationHeight) {
  WebPAnimEncoderOptions options;
  WebPAnimEncoderOptionsInit(&options);
  options.anim_params.loop_count = kAnimationLoops;
  WebPAnimEncoder* encoder = WebPAnimEncoderNew(width, height, &options);
  WebPConfig config;
  WebPConfigInit(&config);
  config.lossless = lossless ? 1 : 0;
  config.quality = lossless ? 50.0F : 80.0F;
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(width * height * 4));
  int timestamp = 0;
  for (int frame = 0; frame < 5; ++frame) {
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        auto* p = &rgba[static_cast<std::size_t>((y * width + x) * 4)];
        if (frame == 2 && !(x >= 40 && x < 120 && y >= 30 && y < 90)) continue;  // sub-rectangle
        p[0] = static_cast<std::uint8_t>((x * 3 + frame * 50) % 256);
        p[1] = static_cast<std::uint8_t>((y * 2 + frame * 30) % 256);
        p[2] = static_cast<std::uint8_t>(((x / 16 + y / 16 + frame) % 2) * 200);
        p[3] = frame == 3 && x < width / 2 ? 0 : 255;
      }
    }
    WebPPicture picture;
    WebPPictureInit(&picture);
    picture.use_argb = 1;
    picture.width = width;
    picture.height = height;
    WebPPictureImportRGBA(&picture, rgba.data(), width * 4);
    WebPAnimEncoderAdd(encoder, &picture, timestamp, &config);
    WebPPictureFree(&picture);
    timestamp += kWebpDurationsMs[static_cast<std::size_t>(frame)];
  }
  WebPAnimEncoderAdd(encoder, nullptr, timestamp, nullptr);
  WebPData data;
  WebPDataInit(&data);
  WebPAnimEncoderAssemble(encoder, &data);
  std::vector<std::uint8_t> out(data.bytes, data.bytes + data.size);
  WebPDataClear(&data);
  WebPAnimEncoderDelete(encoder);
  return out;
}

}  // namespace synthgate::testing
