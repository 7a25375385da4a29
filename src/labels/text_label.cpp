#include "labels/text_label.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "labels/markdown_fences.hpp"

namespace synthgate::labels {

namespace {

constexpr std::array<std::string_view, 2> kAiElements{"人工智能", "AI"};
constexpr std::array<std::string_view, 2> kGenerationElements{"生成", "合成"};

bool has_any(std::string_view text, const std::array<std::string_view, 2>& needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [text](std::string_view n) { return text.find(n) != std::string_view::npos; });
}

// Number of code points, or npos when the bytes are not UTF-8.
std::size_t utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      n = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      n = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4;
      cp = c & 0x07u;
    } else {
      return std::string_view::npos;
    }
    if (i + n > s.size()) return std::string_view::npos;
    for (std::size_t k = 1; k < n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::string_view::npos;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    constexpr std::array<std::uint32_t, 5> kMin{0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::string_view::npos;
    }
    i += n;
  }
  return count;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string markdown_escape(std::string_view s) {
  static constexpr std::string_view kSpecial = "\\`*_{}[]<>()#+-.!|~";
  std::string out;
  for (const char c : s) {
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// End of YAML front matter ("---" first line up to the next "---" or "..."), or 0.
std::size_t front_matter_end(std::string_view text) {
  if (text.substr(0, 4) != "---\n" && text.substr(0, 5) != "---\r\n") return 0;
  std::size_t pos = text.find('\n') + 1;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    const std::string_view line =
        trim(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    if (line == "---" || line == "...") return nl == std::string_view::npos ? text.size() : nl + 1;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return 0;
}

std::string label_plain(std::string_view text, const TextLabelOptions& o) {
  std::string out;
  if (o.placement != TextPlacement::kEnd) out += o.wording + "\n\n";
  out += text;
  if (o.placement != TextPlacement::kStart) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += "\n" + o.wording + "\n";
  }
  return out;
}

std::string label_markdown(std::string_view text, const TextLabelOptions& o) {
  const std::string label = markdown_escape(o.wording);
  const std::size_t head = front_matter_end(text);
  std::string out(text.substr(0, head));
  if (o.placement != TextPlacement::kEnd) out += label + "\n\n";
  out += text.substr(head);
  if (o.placement != TextPlacement::kStart) {
    MarkdownFences fences;
    for (const auto line : split_lines(text.substr(head))) fences.feed_line(line);
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (fences.inside_code()) out += fences.closing_fence() + "\n";
    out += "\n" + label + "\n";
  }
  return out;
}

// Where the document's own tags are, found the way a browser's tokenizer sees tags in outline:
// comments, the raw text of <script>, <style>, <textarea> and <title>, and quoted attribute
// values are passed over, so a "<body>" or "</body>" written inside them is not taken for the
// tag (and the label does not land inside a script).
struct HtmlLandmarks {
  std::size_t after_body_open = std::string::npos;  // just after <body ...>
  std::size_t body_close = std::string::npos;       // at the last </body>
  std::size_t after_head_close = std::string::npos;
  std::size_t html_close = std::string::npos;  // at the last </html>
};

// The offset of the tag's closing '>' from `from`, skipping quoted attribute values; npos when
// the tag never closes.
std::size_t tag_end(std::string_view lower, std::size_t from) {
  char quote = 0;
  char previous = 0;  // the last character outside spaces: a quote opens a value only after '='
  for (std::size_t j = from; j < lower.size(); ++j) {
    const char c = lower[j];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if ((c == '"' || c == '\'') && previous == '=') {
      quote = c;
    } else if (c == '>') {
      return j;
    }
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') previous = c;
  }
  return std::string_view::npos;
}

HtmlLandmarks find_html_landmarks(std::string_view lower) {
  HtmlLandmarks marks;
  std::size_t i = 0;
  while ((i = lower.find('<', i)) != std::string_view::npos) {
    if (lower.compare(i, 4, "<!--") == 0) {
      const std::size_t close = lower.find("-->", i + 4);
      if (close == std::string_view::npos) break;
      i = close + 3;
      continue;
    }
    const bool closing = i + 1 < lower.size() && lower[i + 1] == '/';
    const std::size_t name_start = i + 1 + (closing ? 1 : 0);
    std::size_t name_end = name_start;
    while (name_end < lower.size() && std::isalnum(static_cast<unsigned char>(lower[name_end]))) {
      ++name_end;
    }
    const std::string_view name = lower.substr(name_start, name_end - name_start);
    if (name.empty()) {
      ++i;  // "<" as text, "<!doctype", "<?xml": not an element tag
      continue;
    }
    const std::size_t end = tag_end(lower, name_end);
    if (end == std::string_view::npos) break;
    if (closing) {
      if (name == "body") marks.body_close = i;
      if (name == "html") marks.html_close = i;
      if (name == "head" && marks.after_head_close == std::string::npos) {
        marks.after_head_close = end + 1;
      }
    } else if (name == "body" && marks.after_body_open == std::string::npos) {
      marks.after_body_open = end + 1;
    } else if (name == "script" || name == "style" || name == "textarea" || name == "title") {
      // Raw text: nothing inside is a tag until this element's end tag.
      const std::size_t close = lower.find("</" + std::string(name), end + 1);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    i = end + 1;
  }
  return marks;
}

std::string label_html(std::string_view text, const TextLabelOptions& o) {
  const std::string element =
      "<p class=\"synthgate-ai-label\" role=\"note\" style=\"font-weight:bold\">" +
      html_escape(o.wording) + "</p>";
  const std::string lower = lower_ascii(text);
  const HtmlLandmarks marks = find_html_landmarks(lower);
  std::size_t start = marks.after_body_open;
  if (start == std::string::npos) {
    // A fragment: after a doctype and the <html>/<head> part when present.
    start = 0;
    if (marks.after_head_close != std::string::npos) {
      start = marks.after_head_close;
    } else if (lower.rfind("<!doctype", 0) == 0) {
      start = text.find('>') + 1;
    }
  }
  std::size_t end = marks.body_close;
  if (end == std::string::npos) end = marks.html_close;
  if (end == std::string::npos || end < start) end = text.size();
  std::string out;
  out += text.substr(0, start);
  if (o.placement != TextPlacement::kEnd) out += element;
  out += text.substr(start, end - start);
  if (o.placement != TextPlacement::kStart) out += element;
  out += text.substr(end);
  return out;
}

// HTML's visible text, one line per block-ish break: tags, comments, scripts and styles
// removed, the few entities a label uses decoded.
std::string html_visible_text(std::string_view text) {
  const std::string lower = lower_ascii(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '<') {
      if (text[i] == '&') {
        static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities{
            {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}}};
        bool decoded = false;
        for (const auto& [name, ch] : kEntities) {
          if (text.substr(i, name.size()) == name) {
            out += ch;
            i += name.size();
            decoded = true;
            break;
          }
        }
        if (decoded) continue;
      }
      out += text[i++];
      continue;
    }
    std::string_view skip_to = ">";
    if (lower.compare(i, 4, "<!--") == 0) {
      skip_to = "-->";
    } else if (lower.compare(i, 7, "<script") == 0) {
      skip_to = "</script>";
    } else if (lower.compare(i, 6, "<style") == 0) {
      skip_to = "</style>";
    }
    const std::size_t end = lower.find(skip_to, i + 1);
    i = end == std::string::npos ? text.size() : end + skip_to.size();
    out += '\n';
  }
  return out;
}

std::string markdown_visible_text(std::string_view text) {
  std::string out;
  MarkdownFences fences;
  for (const auto line : split_lines(text)) {
    const bool was_code = fences.inside_code();
    fences.feed_line(line);
    if (was_code || fences.inside_code()) {
      out += '\n';
      continue;
    }
    // Drop escapes and emphasis marks so an escaped label reads as written.
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '\\' && i + 1 < line.size()) {
        out += line[++i];
      } else if (c != '*' && c != '_' && c != '>') {
        out += c;
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace

std::string_view text_format_name(TextFormat format) {
  switch (format) {
    case TextFormat::kPlain:
      return "text";
    case TextFormat::kMarkdown:
      return "markdown";
    case TextFormat::kHtml:
      return "html";
  }
  return "text";
}

std::string_view label_position_name(LabelPosition position) {
  switch (position) {
    case LabelPosition::kNone:
      return "none";
    case LabelPosition::kStart:
      return "start";
    case LabelPosition::kMiddle:
      return "middle";
    case LabelPosition::kEnd:
      return "end";
  }
  return "none";
}

Status check_wording(std::string_view wording) {
  if (utf8_length(wording) == std::string_view::npos) {
    return fail(ErrorCode::kInvalidArgument, "label text is not UTF-8");
  }
  if (wording.find('\n') != std::string_view::npos) {
    return fail(ErrorCode::kInvalidArgument, "label text must be one line");
  }
  if (!has_any(wording, kAiElements)) {
    return fail(ErrorCode::kInvalidArgument,
                "label text lacks the AI element (人工智能 or AI) GB 45438 requires");
  }
  if (!has_any(wording, kGenerationElements)) {
    return fail(ErrorCode::kInvalidArgument,
                "label text lacks the generation element (生成 or 合成) GB 45438 requires");
  }
  return {};
}

Result<TextFormat> sniff_text_format(std::string_view text) {
  if (utf8_length(text) == std::string_view::npos) {
    return fail(ErrorCode::kUnsupportedMediaType, "not UTF-8 text");
  }
  if (text.find('\0') != std::string_view::npos) {
    return fail(ErrorCode::kUnsupportedMediaType, "not text (holds NUL bytes)");
  }
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  const std::string head = lower_ascii(trim(body.substr(0, 512)));
  if (head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0 ||
      head.find("<body") != std::string::npos) {
    return TextFormat::kHtml;
  }
  if (front_matter_end(body) != 0) return TextFormat::kMarkdown;
  for (const auto raw : split_lines(body)) {
    const std::string_view line = trim(raw);
    if (line.rfind("# ", 0) == 0 || line.rfind("## ", 0) == 0 || line.rfind("```", 0) == 0 ||
        line.rfind("~~~", 0) == 0 || line.rfind("- ", 0) == 0 || line.rfind("* ", 0) == 0 ||
        line.rfind("> ", 0) == 0 || line.find("](") != std::string_view::npos) {
      return TextFormat::kMarkdown;
    }
  }
  return TextFormat::kPlain;
}

Result<std::string> label_text(std::string_view text, TextFormat format,
                               const TextLabelOptions& options) {
  if (auto ok = check_wording(options.wording); !ok) return tl::unexpected(ok.error());
  if (utf8_length(text) == std::string_view::npos) {
    return fail(ErrorCode::kInvalidArgument, "text is not UTF-8");
  }
  switch (format) {
    case TextFormat::kPlain:
      return label_plain(text, options);
    case TextFormat::kMarkdown:
      return label_markdown(text, options);
    case TextFormat::kHtml:
      return label_html(text, options);
  }
  return fail(ErrorCode::kInternal, "unknown text format");
}

TextLabelFinding find_text_label(std::string_view text, TextFormat format) {
  std::string visible;
  switch (format) {
    case TextFormat::kPlain:
      visible = std::string(text);
      break;
    case TextFormat::kMarkdown:
      visible = markdown_visible_text(text);
      break;
    case TextFormat::kHtml:
      visible = html_visible_text(text);
      break;
  }
  TextLabelFinding finding;
  finding.ai_element = has_any(visible, kAiElements);
  finding.generation_element = has_any(visible, kGenerationElements);
  std::vector<std::string_view> lines;
  for (const auto line : split_lines(visible)) {
    if (!trim(line).empty()) lines.push_back(trim(line));
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::size_t length = utf8_length(line);
    if (length == std::string_view::npos || length > kMaxLabelLineChars) continue;
    if (!has_any(line, kAiElements) || !has_any(line, kGenerationElements)) continue;
    finding.conforming = true;
    finding.line = std::string(line);
    finding.position = i == 0                  ? LabelPosition::kStart
                       : i + 1 == lines.size() ? LabelPosition::kEnd
                                               : LabelPosition::kMiddle;
    if (finding.position != LabelPosition::kMiddle) break;
  }
  return finding;
}

}  // namespace synthgate::labels
