#include "metadata/pdf_info_label.hpp"

#include <cstdio>
#include <limits>

#include "media/pdf_objects.hpp"
#include "media/text_document.hpp"

namespace synthgate::metadata {

namespace {
constexpr std::string_view kMarker = "\n%SynthGate AIGC update\n";

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

std::size_t trimmed(std::string_view s, std::size_t end) {
  while (end > 0 && is_space(s[end - 1])) --end;
  return end;
}

// The length of the file before the update SynthGate appended, when the file ends with one
// (nothing but its own %%EOF after the marker); the whole file, trailing space trimmed,
// otherwise.
std::size_t base_length(ByteView file) {
  const std::string_view s = as_chars(file);
  const auto marker = s.rfind(kMarker);
  if (marker != std::string_view::npos) {
    const auto eof = s.find("%%EOF", marker);
    if (eof != std::string_view::npos && s.find("%%EOF", eof + 5) == std::string_view::npos &&
        trimmed(s, s.size()) == eof + 5) {
      return trimmed(s, marker);
    }
  }
  return trimmed(s, s.size());
}

// UTF-16BE text strings (BOM FE FF) as UTF-8; other strings as they are.
std::string text_string(const std::string& bytes) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0xfe ||
      static_cast<unsigned char>(bytes[1]) != 0xff) {
    return bytes;
  }
  std::string out;
  for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
    std::uint32_t u = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 8 |
                      static_cast<unsigned char>(bytes[i + 1]);
    if (u >= 0xd800 && u < 0xdc00 && i + 3 < bytes.size()) {
      const std::uint32_t low = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 2]))
                                    << 8 |
                                static_cast<unsigned char>(bytes[i + 3]);
      if (low >= 0xdc00 && low < 0xe000) {
        u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
        i += 2;
      }
    }
    media::append_utf8(out, u);
  }
  return out;
}

struct Document {
  media::PdfLayout layout;
  media::PdfDictionary info;  // empty when the trailer has no /Info
};

// Walks the file and reads its Info dictionary; refuses encrypted and damaged files.
Result<Document> open(ByteView file) {
  auto layout = media::walk_pdf(file);
  if (!layout) return tl::unexpected(layout.error());
  if (media::pdf_get(layout->trailer, "Encrypt")) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "encrypted PDF: its Info strings are encrypted too; decrypt it first");
  }
  Document doc{std::move(*layout), {}};
  const auto root = media::pdf_reference(*media::pdf_get(doc.layout.trailer, "Root"));
  if (!root) return fail(ErrorCode::kInvalidArgument, "damaged PDF: /Root is not a reference");
  auto catalog = media::pdf_object(file, doc.layout, root->first);
  if (!catalog) return tl::unexpected(catalog.error());
  if (auto info_value = media::pdf_get(doc.layout.trailer, "Info")) {
    // A reference, as the standard says; some writers put the dictionary itself there.
    std::string text(*info_value);
    if (!text.starts_with("<<")) {
      const auto info = media::pdf_reference(text);
      if (!info) return fail(ErrorCode::kInvalidArgument, "damaged PDF: /Info is not a reference");
      auto object = media::pdf_object(file, doc.layout, info->first);
      if (!object) return tl::unexpected(object.error());
      text = std::move(*object);
    }
    auto dict = media::parse_pdf_dictionary(text);
    if (!dict) return tl::unexpected(dict.error());
    doc.info = std::move(*dict);
  }
  return doc;
}

void put_be(std::string& out, std::size_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
}  // namespace

bool PdfInfoLabel::recognises(ByteView head) const {
  return as_chars(head).starts_with("%PDF-");
}

Result<std::vector<std::string>> PdfInfoLabel::read_labels(ByteView file) const {
  auto doc = open(file);
  if (!doc) return tl::unexpected(doc.error());
  std::vector<std::string> labels;
  for (const auto& [key, value] : doc->info) {
    if (key != "AIGC") continue;
    std::string string_value = value;
    if (const auto ref = media::pdf_reference(value)) {  // an indirect string
      auto object = media::pdf_object(file, doc->layout, ref->first);
      if (!object) return tl::unexpected(object.error());
      string_value = std::move(*object);
    }
    auto bytes = media::pdf_string_bytes(string_value);
    if (!bytes) return tl::unexpected(bytes.error());
    labels.push_back(text_string(*bytes));
  }
  return labels;
}

Result<Bytes> PdfInfoLabel::write_label(ByteView file, std::string_view aigc_json,
                                        const LabelStyle& /*style*/) const {
  const ByteView base = file.first(base_length(file));
  auto doc = open(base);
  if (!doc) return tl::unexpected(doc.error());
  if (base.size() + aigc_json.size() + 4096 > std::numeric_limits<std::uint32_t>::max()) {
    return fail(ErrorCode::kInvalidArgument, "PDFs over 4 GiB are not supported");
  }
  const auto& trailer = doc->layout.trailer;
  const std::string_view size_text = *media::pdf_get(trailer, "Size");
  // walk_pdf checked /Size is an unsigned integer; PDF caps object numbers at 8388607.
  if (size_text.size() > 7)
    return fail(ErrorCode::kInvalidArgument, "damaged PDF: /Size too large");
  const std::size_t number = std::stoul(std::string(size_text));

  std::string info = "<<";
  for (const auto& [key, value] : doc->info) {
    if (key != "AIGC") info += " /" + key + " " + value;
  }
  info += " /AIGC " + media::pdf_literal_string(aigc_json) + " >>";

  std::string out(as_chars(base));
  out += kMarker;
  const std::size_t info_at = out.size();
  out += std::to_string(number) + " 0 obj\n" + info + "\nendobj\n";
  const std::size_t xref_at = out.size();
  std::string common = " /Root " + std::string(*media::pdf_get(trailer, "Root")) + " /Info " +
                       std::to_string(number) + " 0 R /Prev " +
                       std::to_string(doc->layout.startxref);
  if (auto id = media::pdf_get(trailer, "ID")) common += " /ID " + std::string(*id);
  if (doc->layout.xref_stream) {
    // An uncompressed xref stream for the Info object and itself.
    std::string entries;
    for (std::size_t at : {info_at, xref_at}) {
      entries.push_back(1);
      put_be(entries, at, 4);
      put_be(entries, 0, 2);
    }
    out += std::to_string(number + 1) + " 0 obj\n<< /Type /XRef /Size " +
           std::to_string(number + 2) + common + " /W [1 4 2] /Index [" + std::to_string(number) +
           " 2] /Length " + std::to_string(entries.size()) + " >>\nstream\n" + entries +
           "\nendstream\nendobj\n";
  } else {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", info_at);
    out += "xref\n" + std::to_string(number) + " 1\n" + entry + "trailer\n<< /Size " +
           std::to_string(number + 1) + common + " >>\n";
  }
  out += "startxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  return Bytes(out.begin(), out.end());
}

Result<Sha256Digest> PdfInfoLabel::content_digest(ByteView file) const {
  const ByteView base = file.first(base_length(file));
  auto doc = open(base);
  if (!doc) return tl::unexpected(doc.error());
  Sha256Hasher hasher;
  hasher.update(base);
  return hasher.finish();
}

}  // namespace synthgate::metadata
