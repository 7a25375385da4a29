#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace synthgate::labels {

// Follows CommonMark fenced code blocks line by line (``` or ~~~, three or more, up to three
// spaces of indent; a closing fence is the same character, at least as long, nothing after
// it), so a label is never put inside one. Fed whole lines without their newline.
class MarkdownFences {
 public:
  void feed_line(std::string_view line);
  bool inside_code() const { return fence_length_ != 0; }
  // The line that closes the open fence ("" when none is open).
  std::string closing_fence() const;

 private:
  char fence_char_ = 0;
  std::size_t fence_length_ = 0;
};

}  // namespace synthgate::labels
