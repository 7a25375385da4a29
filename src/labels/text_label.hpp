#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace synthgate::labels {

// GB 45438-2025 §5.1: a text label carries an AI element (人工智能 or AI) and a generation
// element (生成 and/or 合成); no fixed wording is required.
inline constexpr std::string_view kDefaultTextWording = "本内容由人工智能生成";

enum class TextFormat { kPlain, kMarkdown, kHtml };
enum class TextPlacement { kStart, kEnd, kBoth };

std::string_view text_format_name(TextFormat format);

struct TextLabelOptions {
  std::string wording{kDefaultTextWording};
  TextPlacement placement = TextPlacement::kStart;
};

// Whether a wording has both required elements; refused with kInvalidArgument naming the
// missing one.
Status check_wording(std::string_view wording);

// HTML when the text opens with a doctype or an element, Markdown when a line starts with
// a heading, fence, list, quote or link mark, plain otherwise. Not valid UTF-8: refused.
Result<TextFormat> sniff_text_format(std::string_view text);

// The text with the label inserted. Plain: its own line. Markdown: its own paragraph
// (escaped), after any front matter, never inside a fenced code block (an unclosed fence at
// the end is closed first). HTML: an escaped, visible <p> element just inside <body> (or the
// fragment's start) and/or just before </body> (or the end).
Result<std::string> label_text(std::string_view text, TextFormat format,
                               const TextLabelOptions& options);

enum class LabelPosition { kNone, kStart, kMiddle, kEnd };
std::string_view label_position_name(LabelPosition position);

// What the checker found: a short visible line holding both elements.
struct TextLabelFinding {
  bool conforming = false;  // a line with both elements was found
  bool ai_element = false;  // anywhere in the visible text
  bool generation_element = false;
  LabelPosition position = LabelPosition::kNone;
  std::string line;  // the label line as found (visible text)
};

// Looks for a label in the visible text: Markdown outside code, HTML outside tags, comments,
// scripts and styles. A label line is at most kMaxLabelLineChars code points long.
inline constexpr std::size_t kMaxLabelLineChars = 80;
TextLabelFinding find_text_label(std::string_view text, TextFormat format);

}  // namespace synthgate::labels
