#include "metadata/flac_label.hpp"
#include "metadata/flv_label.hpp"
#include "metadata/format_handler.hpp"
#include "metadata/jpeg_xmp_carrier.hpp"
#include "metadata/matroska_label.hpp"
#include "metadata/mp3_label.hpp"
#include "metadata/mp4_label.hpp"
#include "metadata/ogg_label.hpp"
#include "metadata/png_xmp_carrier.hpp"
#include "metadata/wav_label.hpp"
#include "metadata/webp_xmp_carrier.hpp"

namespace synthgate::metadata {

// Adding a format: write its handler (or XmpCarrier), add it to this table, add a fuzz
// target for its walker and its rows to the interop tests.
const std::vector<const FormatHandler*>& format_handlers() {
  static const JpegXmpCarrier jpeg;
  static const PngXmpCarrier png;
  static const XmpFormatHandler jpeg_handler(jpeg);
  static const WebpXmpCarrier webp;
  static const XmpFormatHandler png_handler(png);
  static const XmpFormatHandler webp_handler(webp);
  static const Mp4LabelHandler mp4;
  static const WavLabelHandler wav;
  static const FlacLabelHandler flac;
  static const OggLabelHandler ogg;
  static const MatroskaLabelHandler matroska;
  static const FlvLabelHandler flv;
  static const Mp3LabelHandler mp3;  // last: its frame-sync signature is the weakest
  static const std::vector<const FormatHandler*> handlers = {
      &jpeg_handler, &png_handler, &webp_handler, &mp4, &wav, &flac, &ogg, &matroska, &flv, &mp3};
  return handlers;
}

Result<const FormatHandler*> handler_for(ByteView file) {
  for (const FormatHandler* handler : format_handlers()) {
    if (handler->recognises(file)) return handler;
  }
  return fail(
      ErrorCode::kUnsupportedMediaType,
      "unsupported file type (metadata labels are written to JPEG, PNG, WebP, MP4/MOV/M4A, WAV, "
      "FLAC, Ogg Vorbis/Opus, Matroska/WebM, FLV and MP3 so far)");
}

}  // namespace synthgate::metadata
