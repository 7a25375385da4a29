#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace synthgate::server {

// One server-sent event: its `event` name (empty when none was given) and its data lines
// joined with "\n".
struct SseEvent {
  std::string event;
  std::string data;
  friend bool operator==(const SseEvent&, const SseEvent&) = default;
};

// Reads a text/event-stream (WHATWG HTML §9.2.6) as it arrives in arbitrary pieces: lines
// end in LF, CRLF or CR (also when the CR and LF come in different pieces); a blank line
// ends an event; lines starting with ':' are comments; `id` and `retry` are read and
// dropped. An event is given only when it carries data. The bytes come from another server,
// so a line or an event longer than `max_event_bytes` is refused instead of growing without
// bound.
class SseEventReader {
 public:
  explicit SseEventReader(std::size_t max_event_bytes = 1u << 20)
      : max_event_bytes_(max_event_bytes) {}

  // The events this piece completes.
  Result<std::vector<SseEvent>> feed(std::string_view bytes);
  // The event left open when the stream ends without a blank line, if it has data (the
  // standard drops it; OpenAI-compatible servers are not all that careful).
  std::vector<SseEvent> finish();

 private:
  void take_line(std::string_view line, std::vector<SseEvent>& out);

  std::size_t max_event_bytes_;
  std::string line_;
  bool after_cr_ = false;
  bool has_data_ = false;
  SseEvent current_;
};

}  // namespace synthgate::server
