#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::media {

// Text documents have no magic bytes: these readers classify them from their content,
// conservatively, and find where a label sits. Both refuse text that is not valid UTF-8.

// Whether `text` is valid UTF-8 without NUL or other C0 controls than tab, LF, FF and CR.
bool is_utf8_text(ByteView text);

// Appends code point `u` as UTF-8; NUL, surrogates and values past U+10FFFF become U+FFFD.
void append_utf8(std::string& out, std::uint32_t u);

// Length of a UTF-8 byte order mark at the start (0 or 3).
std::size_t bom_length(std::string_view text);

// ---- HTML ----

// An HTML document: optional BOM and whitespace, then `<!doctype html` or `<html`
// (ASCII case-insensitive).
bool looks_like_html(ByteView head);

struct HtmlMeta {
  std::size_t offset = 0;  // of `<meta`
  std::size_t size = 0;    // through `>`
  std::string name;        // the name attribute's value, entities decoded
  std::string content;     // the content attribute's value, entities decoded
};

struct HtmlOutline {
  std::vector<HtmlMeta> metas;
  // Where a new head element goes: after `<head ...>`, else after `<html ...>`, else after
  // the doctype.
  std::size_t head_insert_at = 0;
};

// Scans the tags of an HTML document (comments and script/style/textarea/title contents
// skipped). Refuses invalid UTF-8, a document ending inside a tag, comment or raw-text
// element, or one whose <html> is never closed (truncated).
Result<HtmlOutline> scan_html(std::string_view text);

// ---- Markdown ----

// A Markdown document: valid UTF-8 text that opens with a `---` front matter fence or has
// a Markdown construct at the start of a line (ATX heading `# `, fenced code block, list
// item `- `, `* ` or `1. `, block quote `> `, or a link `](`). Other text is plain text.
bool looks_like_markdown(ByteView text);

struct FrontMatterEntry {
  std::string_view key;    // text before the first ':' of a top-level line
  std::string_view value;  // after it, spaces trimmed (continuation lines excluded)
  std::size_t offset = 0;  // of the line
  std::size_t size = 0;    // the line and its continuation lines, with line ends
};

struct FrontMatter {
  bool present = false;
  std::size_t open_end = 0;      // after the opening fence line (or the BOM when absent)
  std::size_t close_offset = 0;  // of the closing fence line (or the BOM when absent)
  std::size_t body_offset = 0;   // after the closing fence line
  std::string eol = "\n";        // the document's line end
  std::vector<FrontMatterEntry> entries;
};

// Finds a YAML front matter block (`---` line, entries, `---` or `...` line) at the start.
// Refuses invalid UTF-8 and a front matter that is never closed (truncated).
Result<FrontMatter> scan_front_matter(std::string_view text);

}  // namespace synthgate::media
