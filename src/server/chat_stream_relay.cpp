#include "server/chat_stream_relay.hpp"

#include <algorithm>
#include <utility>

namespace synthgate::server {

using nlohmann::json;

namespace {

constexpr std::string_view kDone = "data: [DONE]\n\n";

// The text a chunk adds to choice 0, or "" when it adds none.
std::string chunk_text(const json& choice, CompletionApi api) {
  if (api == CompletionApi::kChat) {
    const auto delta = choice.find("delta");
    if (delta == choice.end() || !delta->is_object()) return {};
    const auto content = delta->find("content");
    return content != delta->end() && content->is_string() ? content->get<std::string>() : "";
  }
  const auto text = choice.find("text");
  return text != choice.end() && text->is_string() ? text->get<std::string>() : "";
}

}  // namespace

Result<std::unique_ptr<ChatStreamRelay>> ChatStreamRelay::open(
    std::shared_ptr<const moderation::TextModerator> moderator, StreamRelayOptions options) {
  auto labeller = labels::StreamLabeller::open(options.format, options.label);
  if (!labeller) return tl::unexpected(labeller.error());
  std::unique_ptr<ChatStreamRelay> relay(
      new ChatStreamRelay(std::move(moderator), std::move(options), std::move(*labeller)));
  return relay;
}

ChatStreamRelay::ChatStreamRelay(std::shared_ptr<const moderation::TextModerator> moderator,
                                 StreamRelayOptions options, labels::StreamLabeller labeller)
    : options_(std::move(options)),
      stream_(moderator->open_stream()),
      labeller_(std::move(labeller)) {
  if (auto prepared = moderator->prepare(scratch_); !prepared) failed_ = true;
}

bool ChatStreamRelay::blocks(const std::vector<moderation::TextMatch>& matches) const {
  return std::any_of(matches.begin(), matches.end(), [&](const moderation::TextMatch& m) {
    return m.action == moderation::MatchAction::kBlock ||
           (options_.block_on_review && m.action == moderation::MatchAction::kReview);
  });
}

json ChatStreamRelay::chunk(const std::string& content, const json& finish_reason) const {
  json event = template_.is_object() ? template_ : json::object();
  if (!event.contains("object")) {
    event["object"] =
        options_.api == CompletionApi::kChat ? "chat.completion.chunk" : "text_completion";
  }
  event.erase("usage");
  json choice = {{"index", 0}, {"finish_reason", finish_reason}};
  if (options_.api == CompletionApi::kChat) {
    choice["delta"] = {{"content", content}};
  } else {
    choice["text"] = content;
  }
  event["choices"] = json::array({choice});
  return event;
}

std::string ChatStreamRelay::send(const json& event) {
  return "data: " + event.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

std::string ChatStreamRelay::release(std::size_t upto) {
  if (upto <= forwarded_) return {};
  const std::string piece =
      labeller_.push(std::string_view(upstream_text_).substr(forwarded_, upto - forwarded_));
  forwarded_ = upto;
  delivered_text_ += piece;
  return send(chunk(piece, nullptr));
}

std::string ChatStreamRelay::cut_with_refusal() {
  done_ = true;
  cut_ = true;
  // The label still closes what was shown (with placement end); a refusal alone needs none.
  const std::string content = (forwarded_ > 0 ? labeller_.finish() : "") + options_.refusal;
  delivered_text_ += content;
  return send(chunk(content, "content_filter")) + std::string(kDone);
}

std::string ChatStreamRelay::fail(std::string_view message) {
  if (done_) return {};
  done_ = true;
  failed_ = true;
  const json error = {{"error", {{"code", "unavailable"}, {"message", std::string(message)}}}};
  return send(error) + std::string(kDone);
}

std::string ChatStreamRelay::on_event(const SseEvent& event) {
  received_any_ = true;
  if (event.data == "[DONE]") return end_of_answer();
  const json parsed = json::parse(event.data, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return fail("the upstream sent an event that is not a JSON object");
  }
  if (parsed.contains("error")) {
    return fail("the upstream reported an error: " +
                parsed["error"].dump(-1, ' ', false, json::error_handler_t::replace));
  }
  const auto choices = parsed.find("choices");
  const json* choice = nullptr;
  if (choices != parsed.end() && choices->is_array()) {
    for (const auto& c : *choices) {
      if (c.is_object() && (!c.contains("index") || c["index"] == 0)) choice = &c;
    }
  }
  if (choice == nullptr) {
    // Usage and other chunks without choices carry no generated text.
    if (finish_seen_) {
      deferred_.push_back(parsed);
      return {};
    }
    return send(parsed);
  }
  template_ = parsed;
  template_.erase("choices");
  std::string out;
  const std::string text = chunk_text(*choice, options_.api);
  if (!text.empty()) {
    upstream_text_ += text;
    auto found = stream_->feed(text, scratch_);
    if (!found) return fail("moderation failed: " + found.error().message);
    if (blocks(*found)) return cut_with_refusal();
    out += release(stream_->settled_bytes());
  }
  const auto finish = choice->find("finish_reason");
  if (finish != choice->end() && !finish->is_null()) {
    finish_seen_ = true;
    deferred_.push_back(chunk("", *finish));
    return out;
  }
  if (text.empty() && options_.api == CompletionApi::kChat) {
    // The role chunk that opens a chat stream; other fields of the delta are dropped.
    const auto delta = choice->find("delta");
    if (delta != choice->end() && delta->is_object() && delta->contains("role")) {
      json role = chunk("", nullptr);
      role["choices"][0]["delta"] = {{"role", "assistant"}};
      out += send(role);
    }
  }
  return out;
}

std::string ChatStreamRelay::end_of_answer() {
  done_ = true;
  auto rest = stream_->finish(scratch_);
  if (!rest) {
    done_ = false;
    return fail("moderation failed: " + rest.error().message);
  }
  if (blocks(*rest)) return cut_with_refusal();
  std::string out;
  const std::string tail =
      labeller_.push(std::string_view(upstream_text_).substr(forwarded_)) + labeller_.finish();
  forwarded_ = upstream_text_.size();
  if (!tail.empty()) {
    delivered_text_ += tail;
    out += send(chunk(tail, nullptr));
  }
  for (const auto& event : deferred_) out += send(event);
  deferred_.clear();
  return out + std::string(kDone);
}

std::string ChatStreamRelay::feed(std::string_view upstream_bytes) {
  if (done_) return {};
  if (failed_) return fail("moderation could not start");
  auto events = reader_.feed(upstream_bytes);
  if (!events) return fail(events.error().message);
  std::string out;
  for (const auto& event : *events) {
    out += on_event(event);
    if (done_) break;
  }
  return out;
}

std::string ChatStreamRelay::finish() {
  if (done_) return {};
  if (failed_) return fail("moderation could not start");
  std::string out;
  for (const auto& event : reader_.finish()) {
    out += on_event(event);
    if (done_) return out;
  }
  // An upstream that closes without [DONE] has still said all it will say.
  return out + end_of_answer();
}

}  // namespace synthgate::server
