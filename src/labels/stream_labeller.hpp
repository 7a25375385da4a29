#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "labels/markdown_fences.hpp"
#include "labels/text_label.hpp"

namespace synthgate::labels {

// Labels a chat answer as it streams, token chunk by token chunk, without holding it back:
// with kStart the label goes out with the first chunk; with kEnd it follows the last one
// (after closing a Markdown code fence left open); kBoth does both. Only the current
// partial line is kept (to follow code fences), so memory does not grow with the answer.
class StreamLabeller {
 public:
  static Result<StreamLabeller> open(TextFormat format, TextLabelOptions options);

  // What to send on for this chunk.
  std::string push(std::string_view chunk);
  // What to send after the last chunk.
  std::string finish();

 private:
  StreamLabeller(TextFormat format, TextLabelOptions options);
  std::string label_block() const;

  TextFormat format_;
  TextLabelOptions options_;
  MarkdownFences fences_;
  std::string partial_line_;
  bool started_ = false;
  bool finished_ = false;
  bool ends_with_newline_ = true;
};

}  // namespace synthgate::labels
