#include "metadata/format_handler.hpp"
#include "metadata/jpeg_xmp_carrier.hpp"
#include "metadata/png_xmp_carrier.hpp"
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
  static const std::vector<const FormatHandler*> handlers = {&jpeg_handler, &png_handler,
                                                             &webp_handler};
  return handlers;
}

Result<const FormatHandler*> handler_for(ByteView file) {
  for (const FormatHandler* handler : format_handlers()) {
    if (handler->recognises(file)) return handler;
  }
  return fail(ErrorCode::kUnsupportedMediaType,
              "unsupported file type (metadata labels are written to JPEG, PNG and WebP so far)");
}

}  // namespace synthgate::metadata
