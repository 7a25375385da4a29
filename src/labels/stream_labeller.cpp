#include "labels/stream_labeller.hpp"

#include <utility>

namespace synthgate::labels {

Result<StreamLabeller> StreamLabeller::open(TextFormat format, TextLabelOptions options) {
  if (auto ok = check_wording(options.wording); !ok) return tl::unexpected(ok.error());
  return StreamLabeller(format, std::move(options));
}

StreamLabeller::StreamLabeller(TextFormat format, TextLabelOptions options)
    : format_(format), options_(std::move(options)) {}

std::string StreamLabeller::label_block() const {
  // label_text on an empty document gives exactly the label in the format's form.
  TextLabelOptions only = options_;
  only.placement = TextPlacement::kStart;
  auto block = label_text("", format_, only);
  return block ? *block : options_.wording + "\n\n";
}

std::string StreamLabeller::push(std::string_view chunk) {
  std::string out;
  if (!started_) {
    started_ = true;
    if (options_.placement != TextPlacement::kEnd) out = label_block();
  }
  out += chunk;
  if (!chunk.empty()) ends_with_newline_ = chunk.back() == '\n';
  if (format_ == TextFormat::kMarkdown) {
    for (const char c : chunk) {
      if (c == '\n') {
        fences_.feed_line(partial_line_);
        partial_line_.clear();
      } else if (partial_line_.size() < 256) {  // a fence is decided by its first characters
        partial_line_ += c;
      }
    }
  }
  return out;
}

std::string StreamLabeller::finish() {
  std::string out;
  if (!started_) out = push("");
  if (finished_ || options_.placement == TextPlacement::kStart) return out;
  finished_ = true;
  if (format_ == TextFormat::kMarkdown) fences_.feed_line(partial_line_);
  if (!ends_with_newline_) out += '\n';
  if (format_ == TextFormat::kMarkdown && fences_.inside_code()) {
    out += fences_.closing_fence() + "\n";
  }
  std::string block = label_block();
  while (!block.empty() && block.back() == '\n') block.pop_back();
  out += "\n" + block + "\n";
  return out;
}

}  // namespace synthgate::labels
