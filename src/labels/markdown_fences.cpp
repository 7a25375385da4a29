#include "labels/markdown_fences.hpp"

namespace synthgate::labels {

namespace {

struct Fence {
  char ch = 0;
  std::size_t length = 0;
  std::string_view rest;
};

Fence read_fence(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 4 && line[i] == ' ') ++i;
  if (i > 3 || i >= line.size() || (line[i] != '`' && line[i] != '~')) return {};
  const char ch = line[i];
  std::size_t n = 0;
  while (i + n < line.size() && line[i + n] == ch) ++n;
  if (n < 3) return {};
  return {ch, n, line.substr(i + n)};
}

bool blank(std::string_view s) {
  for (const char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

void MarkdownFences::feed_line(std::string_view line) {
  const Fence fence = read_fence(line);
  if (fence.length == 0) return;
  if (fence_length_ == 0) {
    // A backtick fence's info string may not hold a backtick.
    if (fence.ch == '`' && fence.rest.find('`') != std::string_view::npos) return;
    fence_char_ = fence.ch;
    fence_length_ = fence.length;
  } else if (fence.ch == fence_char_ && fence.length >= fence_length_ && blank(fence.rest)) {
    fence_char_ = 0;
    fence_length_ = 0;
  }
}

std::string MarkdownFences::closing_fence() const {
  return fence_length_ == 0 ? std::string() : std::string(fence_length_, fence_char_);
}

}  // namespace synthgate::labels
