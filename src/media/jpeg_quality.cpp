#include "media/jpeg_quality.hpp"

// jpeglib.h needs FILE and size_t declared before it.
#include <cstdio>
#include <cstdlib>
// clang-format off
#include <jpeglib.h>
// clang-format on

#include <array>
#include <csetjmp>
#include <cstring>
#include <optional>

#include "media/jpeg_segments.hpp"

namespace synthgate::media {

namespace {

// libjpeg's standard luminance table (ITU T.81 Annex K), in zigzag order as DQT stores it.
constexpr std::array<int, 64> kStandardLuminance{
    16, 11, 12,  14,  12,  10, 16, 14,  13,  14,  18,  17,  16, 19,  24,  40,
    26, 24, 22,  22,  24,  49, 35, 37,  29,  40,  58,  51,  61, 60,  57,  51,
    56, 55, 64,  72,  92,  78, 64, 68,  87,  69,  55,  56,  80, 109, 81,  87,
    95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99};

// libjpeg's jpeg_quality_scaling and jpeg_add_quant_table (baseline: at most 255).
int scaled(int standard, int quality) {
  const int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  const long value = (static_cast<long>(standard) * scale + 50) / 100;
  return static_cast<int>(std::clamp(value, 1L, 255L));
}

bool is_sof(std::uint8_t marker) {
  return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

// Table 0 of the DQT segments, in zigzag order.
std::optional<std::array<int, 64>> luminance_table(ByteView file, const JpegLayout& layout) {
  for (const auto& segment : layout.segments) {
    if (segment.marker != 0xdb) continue;
    ByteView payload = file.subspan(segment.payload_offset, segment.payload_size);
    while (!payload.empty()) {
      const int precision = payload[0] >> 4;
      const int id = payload[0] & 0x0f;
      const std::size_t size = 1 + 64 * (precision == 0 ? 1 : 2);
      if (payload.size() < size) return std::nullopt;
      if (id == 0) {
        std::array<int, 64> table{};
        for (std::size_t i = 0; i < 64; ++i) {
          table[i] =
              precision == 0 ? payload[1 + i] : (payload[1 + 2 * i] << 8) | payload[2 + 2 * i];
        }
        return table;
      }
      payload = payload.subspan(size);
    }
  }
  return std::nullopt;
}

std::string subsampling_name(int h, int v) {
  if (h == 1 && v == 1) return "4:4:4";
  if (h == 2 && v == 1) return "4:2:2";
  if (h == 2 && v == 2) return "4:2:0";
  if (h == 1 && v == 2) return "4:4:0";
  if (h == 4 && v == 1) return "4:1:1";
  return std::to_string(h) + "x" + std::to_string(v);
}

struct ErrorJump {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jump_on_error(j_common_ptr info) {
  auto* error = reinterpret_cast<ErrorJump*>(info->err);
  (*info->err->format_message)(info, error->message);
  std::longjmp(error->jump, 1);
}

// The libjpeg calls alone, with nothing between setjmp and longjmp that has a destructor.
bool compress(const cv::Mat& pixels, J_COLOR_SPACE space, const JpegSettings& settings,
              unsigned char** out, unsigned long* size, char* message) {
  jpeg_compress_struct info;
  ErrorJump error;
  info.err = jpeg_std_error(&error.manager);
  error.manager.error_exit = jump_on_error;
  if (setjmp(error.jump) != 0) {
    std::memcpy(message, error.message, JMSG_LENGTH_MAX);
    jpeg_destroy_compress(&info);
    return false;
  }
  jpeg_create_compress(&info);
  jpeg_mem_dest(&info, out, size);
  info.image_width = static_cast<JDIMENSION>(pixels.cols);
  info.image_height = static_cast<JDIMENSION>(pixels.rows);
  info.input_components = pixels.channels();
  info.in_color_space = space;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, settings.quality, TRUE);
  info.optimize_coding = TRUE;
  if (space != JCS_GRAYSCALE) {
    info.comp_info[0].h_samp_factor = settings.luma_h;
    info.comp_info[0].v_samp_factor = settings.luma_v;
    for (int c = 1; c < 3; ++c) {
      info.comp_info[c].h_samp_factor = 1;
      info.comp_info[c].v_samp_factor = 1;
    }
  }
  jpeg_start_compress(&info, TRUE);
  while (info.next_scanline < info.image_height) {
    auto* row = const_cast<JSAMPLE*>(pixels.ptr<JSAMPLE>(static_cast<int>(info.next_scanline)));
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  return true;
}

}  // namespace

Result<JpegSettings> read_jpeg_settings(ByteView file) {
  auto layout = walk_jpeg(file);
  if (!layout) return tl::unexpected(layout.error());
  const auto table = luminance_table(file, *layout);
  if (!table) return fail(ErrorCode::kInvalidArgument, "JPEG without a luminance table");
  JpegSettings settings;
  long best = -1;
  for (int q = 1; q <= 100; ++q) {
    long error = 0;
    for (std::size_t i = 0; i < 64; ++i)
      error += std::labs((*table)[i] - scaled(kStandardLuminance[i], q));
    if (best < 0 || error < best) {
      best = error;
      settings.quality = q;
    }
  }
  settings.exact_table = best == 0;
  for (const auto& segment : layout->segments) {
    if (!is_sof(segment.marker)) continue;
    const ByteView sof = file.subspan(segment.payload_offset, segment.payload_size);
    if (sof.size() < 6) break;
    const int components = sof[5];
    if (components == 1) {
      settings.grey = true;
      settings.luma_h = settings.luma_v = 1;
      settings.subsampling = "grey";
      return settings;
    }
    if (components < 1 || sof.size() < 6 + 3 * static_cast<std::size_t>(components)) break;
    const int h = sof[7] >> 4;
    const int v = sof[7] & 0x0f;
    const int chroma_h = sof[10] >> 4;
    const int chroma_v = sof[10] & 0x0f;
    if (h < 1 || v < 1 || chroma_h < 1 || chroma_v < 1 || h % chroma_h != 0 || v % chroma_v != 0) {
      break;
    }
    settings.luma_h = h / chroma_h;
    settings.luma_v = v / chroma_v;
    settings.subsampling = subsampling_name(settings.luma_h, settings.luma_v);
    return settings;
  }
  return fail(ErrorCode::kInvalidArgument, "JPEG without a readable start-of-frame segment");
}

Result<Bytes> encode_jpeg(const cv::Mat& pixels, const JpegSettings& settings) {
  if (pixels.empty() || pixels.depth() != CV_8U ||
      (pixels.channels() != 1 && pixels.channels() != 3 && pixels.channels() != 4)) {
    return fail(ErrorCode::kInvalidArgument, "can only encode 8-bit grey, BGR or BGRA pixels");
  }
  if (settings.quality < 1 || settings.quality > 100 || settings.luma_h < 1 ||
      settings.luma_h > 4 || settings.luma_v < 1 || settings.luma_v > 4) {
    return fail(ErrorCode::kInvalidArgument, "JPEG quality 1..100, sampling factors 1..4");
  }
  const cv::Mat continuous = pixels.isContinuous() ? pixels : pixels.clone();
  const J_COLOR_SPACE space = pixels.channels() == 1   ? JCS_GRAYSCALE
                              : pixels.channels() == 3 ? JCS_EXT_BGR
                                                       : JCS_EXT_BGRX;
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  char message[JMSG_LENGTH_MAX] = {};
  const bool ok = compress(continuous, space, settings, &buffer, &size, message);
  Bytes out;
  if (ok) out.assign(buffer, buffer + size);
  std::free(buffer);
  if (!ok) return fail(ErrorCode::kInternal, std::string("libjpeg: ") + message);
  return out;
}

}  // namespace synthgate::media
