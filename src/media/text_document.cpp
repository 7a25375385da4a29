#include "media/text_document.hpp"

#include <array>

namespace synthgate::media {

namespace {
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_nocase(std::string_view s, std::size_t pos, std::string_view prefix) {
  if (s.size() - std::min(pos, s.size()) < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[pos + i]) != prefix[i]) return false;
  }
  return true;
}

std::size_t find_nocase(std::string_view s, std::size_t pos, std::string_view needle) {
  for (; pos + needle.size() <= s.size(); ++pos) {
    if (starts_with_nocase(s, pos, needle)) return pos;
  }
  return std::string_view::npos;
}

bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

tl::unexpected<Error> damaged(std::string_view format, const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged " + std::string(format) + ": " + why);
}

// Decodes the character references an attribute value may hold (named: the five XML ones
// and nbsp; numeric: decimal and hex). Unknown references stay as written.
std::string decode_entities(std::string_view v) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNamed = {
      {{"quot", "\""},
       {"amp", "&"},
       {"lt", "<"},
       {"gt", ">"},
       {"apos", "'"},
       {"nbsp", "\xc2\xa0"}}};
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '&') {
      out.push_back(v[i]);
      continue;
    }
    const auto semi = v.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back('&');
      continue;
    }
    const std::string_view ref = v.substr(i + 1, semi - i - 1);
    bool done = false;
    if (ref.size() > 1 && ref[0] == '#') {
      std::uint32_t u = 0;
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      bool ok = ref.size() > (hex ? 2u : 1u);
      for (char c : ref.substr(hex ? 2 : 1)) {
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
        if (d < 0) ok = false;
        if (ok) u = u * (hex ? 16u : 10u) + static_cast<std::uint32_t>(d);
      }
      if (ok) {
        append_utf8(out, u);
        done = true;
      }
    } else {
      for (const auto& [name, text] : kNamed) {
        if (ref == name) {
          out += text;
          done = true;
        }
      }
    }
    if (done) {
      i = semi;
    } else {
      out.push_back('&');
    }
  }
  return out;
}

struct Tag {
  std::string name;                                             // lower case
  std::vector<std::pair<std::string, std::string>> attributes;  // names lower case, raw values
  std::size_t end = 0;                                          // after '>'
};

// The start tag at `pos` (which is '<' followed by a letter), or nullopt when the document
// ends inside it.
std::optional<Tag> start_tag(std::string_view s, std::size_t pos) {
  Tag tag;
  ++pos;
  while (pos < s.size() && !is_html_space(s[pos]) && s[pos] != '>' && s[pos] != '/') {
    tag.name.push_back(lower(s[pos++]));
  }
  while (true) {
    while (pos < s.size() && (is_html_space(s[pos]) || s[pos] == '/')) ++pos;
    if (pos >= s.size()) return std::nullopt;
    if (s[pos] == '>') {
      tag.end = pos + 1;
      return tag;
    }
    std::string name;
    while (pos < s.size() && !is_html_space(s[pos]) && s[pos] != '>' && s[pos] != '=' &&
           !(s[pos] == '/' && !name.empty())) {
      name.push_back(lower(s[pos++]));
    }
    while (pos < s.size() && is_html_space(s[pos])) ++pos;
    std::string value;
    if (pos < s.size() && s[pos] == '=') {
      ++pos;
      while (pos < s.size() && is_html_space(s[pos])) ++pos;
      if (pos >= s.size()) return std::nullopt;
      if (s[pos] == '"' || s[pos] == '\'') {
        const auto close = s.find(s[pos], pos + 1);
        if (close == std::string_view::npos) return std::nullopt;
        value = std::string(s.substr(pos + 1, close - pos - 1));
        pos = close + 1;
      } else {
        while (pos < s.size() && !is_html_space(s[pos]) && s[pos] != '>') value.push_back(s[pos++]);
      }
    }
    tag.attributes.emplace_back(std::move(name), std::move(value));
  }
}

const std::string* attribute(const Tag& tag, std::string_view name) {
  for (const auto& [k, v] : tag.attributes) {
    if (k == name) return &v;
  }
  return nullptr;
}

bool line_has_markdown(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  line = line.substr(i);
  if (line.starts_with("```") || line.starts_with("~~~") || line.starts_with("> ") ||
      line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ")) {
    return true;
  }
  std::size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#') ++hashes;
  if (hashes >= 1 && hashes <= 6 && hashes < line.size() && line[hashes] == ' ') return true;
  std::size_t digits = 0;
  while (digits < line.size() && digits < 9 && line[digits] >= '0' && line[digits] <= '9') ++digits;
  if (digits > 0 && line.substr(digits).starts_with(". ")) return true;
  return line.find("](") != std::string_view::npos;
}

// The next line starting at `pos`: its content end and the offset after its line end.
std::pair<std::size_t, std::size_t> next_line(std::string_view s, std::size_t pos) {
  const auto nl = s.find('\n', pos);
  if (nl == std::string_view::npos) return {s.size(), s.size()};
  const std::size_t content_end = nl > pos && s[nl - 1] == '\r' ? nl - 1 : nl;
  return {content_end, nl + 1};
}

bool is_fence(std::string_view line, bool closing) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == "---" || (closing && line == "...");
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}
}  // namespace

bool is_utf8_text(ByteView text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::uint8_t c = text[i];
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
      if (c == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t u = 0;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      u = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      u = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      u = c & 0x07u;
    } else {
      return false;
    }
    if (text.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if ((text[i + k] & 0xc0) != 0x80) return false;
      u = u << 6 | (text[i + k] & 0x3fu);
    }
    const std::uint32_t min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
    if (u < min || u > 0x10ffff || (u >= 0xd800 && u < 0xe000)) return false;
    i += n + 1;
  }
  return true;
}

void append_utf8(std::string& out, std::uint32_t u) {
  if (u == 0 || u > 0x10ffff || (u >= 0xd800 && u < 0xe000)) u = 0xfffd;
  if (u < 0x80) {
    out.push_back(static_cast<char>(u));
  } else if (u < 0x800) {
    out.push_back(static_cast<char>(0xc0 | u >> 6));
    out.push_back(static_cast<char>(0x80 | (u & 0x3f)));
  } else if (u < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | u >> 12));
    out.push_back(static_cast<char>(0x80 | (u >> 6 & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | u >> 18));
    out.push_back(static_cast<char>(0x80 | (u >> 12 & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (u >> 6 & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (u & 0x3f)));
  }
}

std::size_t bom_length(std::string_view text) {
  return text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
}

bool looks_like_html(ByteView head) {
  const std::string_view s = as_chars(head);
  std::size_t pos = bom_length(s);
  while (pos < s.size() && is_html_space(s[pos])) ++pos;
  // The name must end there: `<htmlx>` or `<!doctype htmlx` is no HTML.
  auto name_ends = [&](std::size_t at) {
    return at >= s.size() || is_html_space(s[at]) || s[at] == '>' || s[at] == '/';
  };
  return (starts_with_nocase(s, pos, "<!doctype html") && name_ends(pos + 14)) ||
         (starts_with_nocase(s, pos, "<html") && name_ends(pos + 5));
}

Result<HtmlOutline> scan_html(std::string_view s) {
  if (!is_utf8_text(as_bytes(s))) return damaged("HTML", "not valid UTF-8 text");
  HtmlOutline outline;
  bool html_open = false, html_closed = false, head_found = false;
  std::size_t pos = 0;
  while ((pos = s.find('<', pos)) != std::string_view::npos) {
    if (s.substr(pos, 4) == "<!--") {
      const auto end = s.find("-->", pos + 4);
      if (end == std::string_view::npos)
        return damaged("HTML", "a comment is never closed (truncated)");
      pos = end + 3;
    } else if (s.substr(pos, 2) == "<!" || s.substr(pos, 2) == "<?") {
      const auto end = s.find('>', pos);
      if (end == std::string_view::npos) return damaged("HTML", "the document ends inside a tag");
      if (outline.head_insert_at == 0) outline.head_insert_at = end + 1;
      pos = end + 1;
    } else if (s.substr(pos, 2) == "</") {
      const auto end = s.find('>', pos);
      if (end == std::string_view::npos) return damaged("HTML", "the document ends inside a tag");
      if (starts_with_nocase(s, pos, "</html")) html_closed = true;
      pos = end + 1;
    } else if (pos + 1 < s.size() && is_alpha(s[pos + 1])) {
      auto tag = start_tag(s, pos);
      if (!tag) return damaged("HTML", "the document ends inside a tag (truncated)");
      if (tag->name == "meta") {
        const std::string* name = attribute(*tag, "name");
        const std::string* content = attribute(*tag, "content");
        outline.metas.push_back(HtmlMeta{pos, tag->end - pos, name ? decode_entities(*name) : "",
                                         content ? decode_entities(*content) : ""});
      } else if (tag->name == "html") {
        html_open = true;
        if (!head_found) outline.head_insert_at = tag->end;
      } else if (tag->name == "head" && !head_found) {
        head_found = true;
        outline.head_insert_at = tag->end;
      } else if (tag->name == "script" || tag->name == "style" || tag->name == "textarea" ||
                 tag->name == "title") {
        const auto close = find_nocase(s, tag->end, "</" + tag->name);
        if (close == std::string_view::npos) {
          return damaged("HTML", "<" + tag->name + "> is never closed (truncated)");
        }
        pos = close;
        continue;
      }
      pos = tag->end;
    } else {
      ++pos;
    }
  }
  if (html_open && !html_closed) return damaged("HTML", "<html> is never closed (truncated)");
  return outline;
}

bool looks_like_markdown(ByteView bytes) {
  if (!is_utf8_text(bytes)) return false;
  const std::string_view s = as_chars(bytes);
  std::size_t pos = bom_length(s);
  auto [first_end, first_next] = next_line(s, pos);
  if (is_fence(s.substr(pos, first_end - pos), false)) return true;
  while (pos < s.size()) {
    auto [end, next] = next_line(s, pos);
    if (line_has_markdown(s.substr(pos, end - pos))) return true;
    pos = next;
  }
  return false;
}

Result<FrontMatter> scan_front_matter(std::string_view s) {
  if (!is_utf8_text(as_bytes(s))) return damaged("Markdown", "not valid UTF-8 text");
  FrontMatter fm;
  const std::size_t start = bom_length(s);
  fm.open_end = fm.close_offset = fm.body_offset = start;
  const auto nl = s.find('\n');
  if (nl != std::string_view::npos && nl > 0 && s[nl - 1] == '\r') fm.eol = "\r\n";
  auto [first_end, first_next] = next_line(s, start);
  if (!is_fence(s.substr(start, first_end - start), false) || first_next == first_end) return fm;
  fm.present = true;
  fm.open_end = first_next;
  std::size_t pos = first_next;
  while (true) {
    if (pos >= s.size()) return damaged("Markdown", "the front matter is never closed (truncated)");
    auto [end, next] = next_line(s, pos);
    const std::string_view line = s.substr(pos, end - pos);
    if (is_fence(line, true)) {
      fm.close_offset = pos;
      fm.body_offset = next;
      return fm;
    }
    const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (continuation && !fm.entries.empty()) {
      fm.entries.back().size = next - fm.entries.back().offset;
    } else if (!line.empty() && line[0] != '#') {
      const auto colon = line.find(':');
      FrontMatterEntry e;
      e.key = colon == std::string_view::npos ? line : line.substr(0, colon);
      e.value = colon == std::string_view::npos ? std::string_view{} : trim(line.substr(colon + 1));
      e.offset = pos;
      e.size = next - pos;
      fm.entries.push_back(e);
    }
    pos = next;
  }
}

}  // namespace synthgate::media
