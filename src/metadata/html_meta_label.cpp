#include "metadata/html_meta_label.hpp"

#include "core/encoding.hpp"
#include "media/text_document.hpp"

namespace synthgate::metadata {

namespace {
bool is_aigc(const media::HtmlMeta& m) {
  if (m.name.size() != 4) return false;
  for (std::size_t i = 0; i < 4; ++i) {
    const char c = m.name[i];
    if ((c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c) != "AIGC"[i]) return false;
  }
  return true;
}

// The document without its AIGC meta elements (each with the "\n" or "\r\n" before it),
// and where `insert_at` lands once they are gone.
std::string without_labels(std::string_view s, const media::HtmlOutline& outline,
                           std::size_t& insert_at) {
  std::string out;
  std::size_t copied = 0;
  const std::size_t original_insert = insert_at;
  for (const auto& m : outline.metas) {
    if (!is_aigc(m)) continue;
    std::size_t from = m.offset;
    if (from > copied && s[from - 1] == '\n') --from;
    if (from > copied && s[from - 1] == '\r') --from;
    out.append(s.substr(copied, from - copied));
    if (original_insert > from) {
      insert_at -= std::min(original_insert, m.offset + m.size) - from;
    }
    copied = m.offset + m.size;
  }
  out.append(s.substr(copied));
  return out;
}
}  // namespace

bool HtmlMetaLabel::recognises(ByteView head) const {
  return media::looks_like_html(head);
}

Result<std::vector<std::string>> HtmlMetaLabel::read_labels(ByteView file) const {
  auto outline = media::scan_html(as_chars(file));
  if (!outline) return tl::unexpected(outline.error());
  std::vector<std::string> labels;
  for (const auto& m : outline->metas) {
    if (is_aigc(m)) labels.push_back(m.content);
  }
  return labels;
}

Result<Bytes> HtmlMetaLabel::write_label(ByteView file, std::string_view aigc_json,
                                         const LabelStyle& /*style*/) const {
  const std::string_view s = as_chars(file);
  auto outline = media::scan_html(s);
  if (!outline) return tl::unexpected(outline.error());
  std::size_t insert_at = outline->head_insert_at;
  std::string text = without_labels(s, *outline, insert_at);
  const bool crlf = s.find("\r\n") != std::string_view::npos;
  const std::string element = std::string(crlf ? "\r\n" : "\n") + "<meta name=\"AIGC\" content=\"" +
                              escape_html(aigc_json) + "\">";
  text.insert(insert_at, element);
  return Bytes(text.begin(), text.end());
}

Result<Sha256Digest> HtmlMetaLabel::content_digest(ByteView file) const {
  const std::string_view s = as_chars(file);
  auto outline = media::scan_html(s);
  if (!outline) return tl::unexpected(outline.error());
  std::size_t unused = 0;
  Sha256Hasher hasher;
  hasher.update(as_bytes(without_labels(s, *outline, unused)));
  return hasher.finish();
}

}  // namespace synthgate::metadata
