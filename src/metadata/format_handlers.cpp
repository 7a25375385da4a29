#include "media/text_document.hpp"
#include "metadata/flac_label.hpp"
#include "metadata/flv_label.hpp"
#include "metadata/format_handler.hpp"
#include "metadata/gif_xmp_carrier.hpp"
#include "metadata/html_meta_label.hpp"
#include "metadata/jpeg_xmp_carrier.hpp"
#include "metadata/markdown_front_matter_label.hpp"
#include "metadata/matroska_label.hpp"
#include "metadata/mp3_label.hpp"
#include "metadata/mp4_label.hpp"
#include "metadata/ogg_label.hpp"
#include "metadata/ooxml_custom_property.hpp"
#include "metadata/pdf_info_label.hpp"
#include "metadata/png_xmp_carrier.hpp"
#include "metadata/tiff_xmp_carrier.hpp"
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
  static const GifXmpCarrier gif;
  static const XmpFormatHandler gif_handler(gif);
  static const TiffXmpCarrier tiff;
  static const XmpFormatHandler tiff_handler(tiff);
  static const Mp4LabelHandler mp4;
  static const WavLabelHandler wav;
  static const FlacLabelHandler flac;
  static const OggLabelHandler ogg;
  static const MatroskaLabelHandler matroska;
  static const FlvLabelHandler flv;
  static const PdfInfoLabel pdf;
  static const OoxmlCustomProperty ooxml;
  // After the other binary formats: its frame-sync signature is the weakest.
  static const Mp3LabelHandler mp3;
  // Text has no magic bytes: HTML and Markdown are sniffed last (media/text_document.hpp).
  static const HtmlMetaLabel html;
  static const MarkdownFrontMatterLabel markdown;
  static const std::vector<const FormatHandler*> handlers = {
      &jpeg_handler, &png_handler, &webp_handler, &gif_handler, &tiff_handler, &mp4,
      &wav,          &flac,        &ogg,          &matroska,    &flv,          &pdf,
      &ooxml,        &mp3,         &html,         &markdown};
  return handlers;
}

Result<const FormatHandler*> handler_for(ByteView file) {
  for (const FormatHandler* handler : format_handlers()) {
    if (handler->recognises(file)) return handler;
  }
  if (media::is_utf8_text(file)) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "unsupported file type: plain text has no metadata to carry a label (give it "
                "Markdown front matter or an explicit text label, docs/metadata-labels.md)");
  }
  return fail(
      ErrorCode::kUnsupportedMediaType,
      "unsupported file type (metadata labels are written to JPEG, PNG, WebP, GIF, TIFF, "
      "MP4/MOV/M4A, WAV, FLAC, Ogg Vorbis/Opus, Matroska/WebM, FLV, MP3, PDF, DOCX/XLSX/PPTX, "
      "HTML and Markdown)");
}

}  // namespace synthgate::metadata
