#include "server/sse_event_reader.hpp"

#include <utility>

namespace synthgate::server {

void SseEventReader::take_line(std::string_view line, std::vector<SseEvent>& out) {
  if (line.empty()) {
    if (has_data_) out.push_back(std::move(current_));
    current_ = {};
    has_data_ = false;
    return;
  }
  if (line.front() == ':') return;  // a comment (keep-alive)
  const auto colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_) current_.data += '\n';
    current_.data += value;
    has_data_ = true;
  } else if (field == "event") {
    current_.event = std::string(value);
  }
  // "id", "retry" and unknown fields change nothing a proxy needs.
}

Result<std::vector<SseEvent>> SseEventReader::feed(std::string_view bytes) {
  std::vector<SseEvent> out;
  for (const char c : bytes) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;  // the LF of a CRLF cut between two pieces
    }
    if (c == '\n' || c == '\r') {
      take_line(line_, out);
      line_.clear();
      after_cr_ = c == '\r';
      continue;
    }
    line_ += c;
    if (line_.size() + current_.data.size() + current_.event.size() > max_event_bytes_) {
      return fail(ErrorCode::kUnavailable, "the upstream sent an event longer than " +
                                               std::to_string(max_event_bytes_) + " bytes");
    }
  }
  return out;
}

std::vector<SseEvent> SseEventReader::finish() {
  std::vector<SseEvent> out;
  if (!line_.empty()) take_line(line_, out);
  line_.clear();
  take_line("", out);
  return out;
}

}  // namespace synthgate::server
