#include "metadata/markdown_front_matter_label.hpp"

#include "media/text_document.hpp"

namespace synthgate::metadata {

namespace {
bool is_aigc(const media::FrontMatterEntry& e) {
  return e.key == "AIGC";
}

// A YAML scalar as written after `AIGC:`: flow JSON as it is, quoted strings unquoted.
Result<std::string> scalar(const media::FrontMatterEntry& e) {
  const std::string_view v = e.value;
  if (v.empty()) {
    return fail(ErrorCode::kInvalidArgument,
                "the Markdown AIGC entry is a block mapping; SynthGate reads "
                "`AIGC: {...JSON...}` or a quoted JSON string");
  }
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
    std::string out;
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
      out.push_back(v[i]);
      if (v[i] == '\'' && i + 2 < v.size() && v[i + 1] == '\'') ++i;
    }
    return out;
  }
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) ++i;
      out.push_back(v[i]);
    }
    return out;
  }
  return std::string(v);
}

// The front matter entries but AIGC, and the body: what the label does not change.
std::string without_label(std::string_view s, const media::FrontMatter& fm) {
  std::string kept;
  for (const auto& e : fm.entries) {
    if (!is_aigc(e)) kept.append(s.substr(e.offset, e.size));
  }
  std::string out(s.substr(0, media::bom_length(s)));
  out += kept;
  out.push_back('\0');
  out.append(s.substr(fm.body_offset));
  return out;
}
}  // namespace

bool MarkdownFrontMatterLabel::recognises(ByteView head) const {
  return media::looks_like_markdown(head);
}

Result<std::vector<std::string>> MarkdownFrontMatterLabel::read_labels(ByteView file) const {
  auto fm = media::scan_front_matter(as_chars(file));
  if (!fm) return tl::unexpected(fm.error());
  std::vector<std::string> labels;
  for (const auto& e : fm->entries) {
    if (!is_aigc(e)) continue;
    auto value = scalar(e);
    if (!value) return tl::unexpected(value.error());
    labels.push_back(std::move(*value));
  }
  return labels;
}

Result<Bytes> MarkdownFrontMatterLabel::write_label(ByteView file, std::string_view aigc_json,
                                                    const LabelStyle& /*style*/) const {
  const std::string_view s = as_chars(file);
  auto fm = media::scan_front_matter(s);
  if (!fm) return tl::unexpected(fm.error());
  const std::string line = "AIGC: " + std::string(aigc_json) + fm->eol;
  std::string out;
  if (!fm->present) {
    const std::size_t bom = media::bom_length(s);
    out = std::string(s.substr(0, bom)) + "---" + fm->eol + line + "---" + fm->eol;
    out.append(s.substr(bom));
  } else {
    std::size_t copied = 0;
    for (const auto& e : fm->entries) {
      if (!is_aigc(e)) continue;
      out.append(s.substr(copied, e.offset - copied));
      copied = e.offset + e.size;
    }
    out.append(s.substr(copied, fm->close_offset - copied));
    out += line;
    out.append(s.substr(fm->close_offset));
  }
  return Bytes(out.begin(), out.end());
}

Result<Sha256Digest> MarkdownFrontMatterLabel::content_digest(ByteView file) const {
  const std::string_view s = as_chars(file);
  auto fm = media::scan_front_matter(s);
  if (!fm) return tl::unexpected(fm.error());
  Sha256Hasher hasher;
  hasher.update(as_bytes(without_label(s, *fm)));
  return hasher.finish();
}

}  // namespace synthgate::metadata
