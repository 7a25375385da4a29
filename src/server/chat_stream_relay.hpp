#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "labels/stream_labeller.hpp"
#include "moderation/text_moderator.hpp"
#include "server/sse_event_reader.hpp"

namespace synthgate::server {

// Which OpenAI-compatible API a request speaks: chunks carry choices[].delta.content (chat)
// or choices[].text (completions).
enum class CompletionApi { kChat, kCompletion };

struct StreamRelayOptions {
  CompletionApi api = CompletionApi::kChat;
  labels::TextFormat format = labels::TextFormat::kMarkdown;
  labels::TextLabelOptions label;
  bool block_on_review = false;
  std::string refusal;
};

// Turns an upstream's server-sent events into the events the client gets, moderating the
// answer as it streams (docs/chat-proxy.md, "Streaming").
//
// The cut rule: answer text is sent on only once TextStream::settled_bytes says no match
// still to come can touch it, so at most the last longest-term characters (and any match
// waiting for the allow list) are held back. When a block match is reported, nothing more is
// sent: a last chunk carries the refusal with finish_reason "content_filter", then
// `data: [DONE]`. The held-back text, which holds the match, never leaves.
// Only the text of choice 0 and the role are passed on; other delta fields (reasoning,
// tool calls) are dropped, since they would pass unmoderated. The finish chunk and what
// follows it (usage) wait until the held-back text is out.
class ChatStreamRelay {
 public:
  static Result<std::unique_ptr<ChatStreamRelay>> open(
      std::shared_ptr<const moderation::TextModerator> moderator, StreamRelayOptions options);
  ChatStreamRelay(const ChatStreamRelay&) = delete;
  ChatStreamRelay& operator=(const ChatStreamRelay&) = delete;

  // What to send to the client for these upstream bytes (whole SSE events).
  std::string feed(std::string_view upstream_bytes);
  // The upstream ended (normally or not): the rest, ending with `data: [DONE]`.
  std::string finish();
  // The upstream failed: an error event and `data: [DONE]`; held-back text is dropped.
  std::string fail(std::string_view message);

  // Nothing more will be sent; the upstream may be closed.
  bool done() const { return done_; }
  bool cut() const { return cut_; }
  bool failed() const { return failed_; }
  bool received_any() const { return received_any_; }
  // The answer text as the upstream wrote it, and as the client got it (label, refusal).
  const std::string& upstream_text() const { return upstream_text_; }
  const std::string& delivered_text() const { return delivered_text_; }
  const moderation::TextDecision& decision() const { return stream_->decision(); }

 private:
  ChatStreamRelay(std::shared_ptr<const moderation::TextModerator> moderator,
                  StreamRelayOptions options, labels::StreamLabeller labeller);

  std::string on_event(const SseEvent& event);
  std::string end_of_answer();
  std::string cut_with_refusal();
  std::string release(std::size_t upto);
  bool blocks(const std::vector<moderation::TextMatch>& matches) const;
  nlohmann::json chunk(const std::string& content, const nlohmann::json& finish_reason) const;
  std::string send(const nlohmann::json& event);

  StreamRelayOptions options_;
  std::unique_ptr<moderation::TextStream> stream_;
  moderation::ScanScratch scratch_;
  labels::StreamLabeller labeller_;
  SseEventReader reader_;
  nlohmann::json template_;  // the last upstream chunk: id, model, created for ours
  std::vector<nlohmann::json> deferred_;
  std::string upstream_text_;
  std::string delivered_text_;
  std::size_t forwarded_ = 0;  // bytes of upstream_text_ sent on
  bool finish_seen_ = false;
  bool received_any_ = false;
  bool done_ = false;
  bool cut_ = false;
  bool failed_ = false;
};

}  // namespace synthgate::server
