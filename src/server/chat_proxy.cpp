#include "server/chat_proxy.hpp"

#include <httplib.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/digest.hpp"
#include "core/encoding.hpp"
#include "moderation/classifier_verdict.hpp"
#include "server/api_response.hpp"
#include "server/chat_stream_relay.hpp"

namespace synthgate::server {

using nlohmann::json;

Result<ChatProxyOptions> chat_proxy_options(const ProxyConfig& config) {
  ChatProxyOptions options;
  options.upstream_url = config.upstream_url;
  options.timeout = std::chrono::seconds(config.timeout_seconds);
  options.upstream_api_key = config.upstream_api_key;
  if (config.label_position == "start") {
    options.label.placement = labels::TextPlacement::kStart;
  } else if (config.label_position == "end") {
    options.label.placement = labels::TextPlacement::kEnd;
  } else if (config.label_position == "both") {
    options.label.placement = labels::TextPlacement::kBoth;
  } else {
    return fail(ErrorCode::kConfig, "proxy.label_position: expected start, end or both");
  }
  if (config.review_action != "pass" && config.review_action != "block") {
    return fail(ErrorCode::kConfig, "proxy.review_action: expected pass or block");
  }
  options.block_on_review = config.review_action == "block";
  return options;
}

namespace {

// "http://host:8081/v1" -> client "http://host:8081", paths under "/v1".
struct UpstreamAddress {
  std::string origin;
  std::string prefix;
};

UpstreamAddress split_url(const std::string& url) {
  const auto authority = url.find("//");
  const auto slash = url.find('/', authority == std::string::npos ? 0 : authority + 2);
  if (slash == std::string::npos) return {url, ""};
  return {url.substr(0, slash), url.substr(slash)};
}

// A refusal with a machine-readable reason beside the code.
void write_refusal(httplib::Response& res, ErrorCode code, std::string_view reason,
                   const std::string& message) {
  write_json(
      res, http_status(code),
      {{"error",
        {{"code", code_name(code)}, {"reason", std::string(reason)}, {"message", message}}}});
}

// Every text the caller sends, joined by newlines: the chat messages of any role, or the
// completion prompt. Parts that are not text cannot be checked here and are refused.
Result<std::string> prompt_text(const json& body, CompletionApi api) {
  std::vector<std::string> parts;
  if (api == CompletionApi::kChat) {
    const auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array() || messages->empty()) {
      return fail(ErrorCode::kInvalidArgument, "messages must be a non-empty array");
    }
    for (const auto& message : *messages) {
      if (!message.is_object()) {
        return fail(ErrorCode::kInvalidArgument, "each message must be an object");
      }
      const auto content = message.find("content");
      if (content == message.end() || content->is_null()) continue;
      if (content->is_string()) {
        parts.push_back(content->get<std::string>());
        continue;
      }
      if (!content->is_array()) {
        return fail(ErrorCode::kInvalidArgument, "a message content must be text or parts");
      }
      for (const auto& part : *content) {
        if (!part.is_object() || !part.contains("type") || part["type"] != "text" ||
            !part.contains("text") || !part["text"].is_string()) {
          return fail(ErrorCode::kInvalidArgument,
                      "only text message parts are supported by the proxy");
        }
        parts.push_back(part["text"].get<std::string>());
      }
    }
  } else {
    const auto prompt = body.find("prompt");
    if (prompt == body.end()) return fail(ErrorCode::kInvalidArgument, "prompt is required");
    if (prompt->is_string()) {
      parts.push_back(prompt->get<std::string>());
    } else if (prompt->is_array()) {
      for (const auto& p : *prompt) {
        if (!p.is_string()) {
          return fail(ErrorCode::kInvalidArgument,
                      "prompt must be text (token arrays cannot be checked)");
        }
        parts.push_back(p.get<std::string>());
      }
    } else {
      return fail(ErrorCode::kInvalidArgument, "prompt must be text or a list of texts");
    }
  }
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += '\n';
    joined += part;
  }
  return joined;
}

bool blocks(const moderation::TextDecision& decision, bool block_on_review) {
  return decision.decision == moderation::Decision::kBlock ||
         (block_on_review && decision.decision == moderation::Decision::kReview);
}

std::string sha256_hex(std::string_view text) {
  return hex_encode(sha256(as_bytes(text)));
}

// What one exchange leaves in the audit log.
struct Exchange {
  std::string route;
  std::string actor;
  std::string user_id;
  ContentId content_id;
  bool stream = false;
  std::string stage;  // "prompt" or "answer"
  moderation::Decision prompt_decision = moderation::Decision::kPass;
  moderation::Decision decision = moderation::Decision::kPass;
  bool withheld = false;         // blocked text replaced by the refusal (or the stream cut)
  bool upstream_failed = false;  // a stream that ended with an error event
  std::vector<moderation::TextMatch> matches;
  std::string prompt;
  std::optional<std::string> answer;  // as delivered
  std::vector<std::string> labels;
};

Status audit_exchange(audit::AuditLog& log, const Exchange& x) {
  audit::AuditEvent event;
  event.type = x.withheld || x.labels.empty() ? audit::EventType::kModerationDecided
                                              : audit::EventType::kOutputLabelled;
  event.actor = x.actor;
  event.user_id = x.user_id;
  event.content_id = x.content_id.to_string();
  event.content_hashes["prompt_sha256"] = sha256_hex(x.prompt);
  if (x.answer) event.content_hashes["answer_sha256"] = sha256_hex(*x.answer);
  event.labels = x.labels;
  event.details["route"] = x.route;
  event.details["stage"] = x.stage;
  event.details["decision"] = std::string(moderation::decision_name(x.decision));
  event.details["prompt_decision"] = std::string(moderation::decision_name(x.prompt_decision));
  event.details["stream"] = x.stream ? "true" : "false";
  if (x.withheld) event.details["withheld"] = "true";
  if (x.upstream_failed) event.details["upstream_failed"] = "true";
  std::string categories;
  for (const auto& m : x.matches) {
    const std::string item = m.category + ":" + std::string(moderation::action_name(m.action));
    if (categories.find(item) != std::string::npos) continue;
    categories += (categories.empty() ? "" : ",") + item;
  }
  if (!categories.empty()) event.details["matches"] = categories;
  auto appended = log.append(std::move(event));
  if (!appended) return tl::unexpected(appended.error());
  return {};
}

std::vector<std::string> label_names(const labels::TextLabelOptions& label) {
  switch (label.placement) {
    case labels::TextPlacement::kStart:
      return {"text_label_start"};
    case labels::TextPlacement::kEnd:
      return {"text_label_end"};
    case labels::TextPlacement::kBoth:
      return {"text_label_start", "text_label_end"};
  }
  return {};
}

std::string labelled(const std::string& text, const labels::TextLabelOptions& label) {
  const auto format = labels::sniff_text_format(text);
  auto out = labels::label_text(text, format ? *format : labels::TextFormat::kPlain, label);
  return out ? *out : label.wording + "\n\n" + text;
}

class ChatProxy {
 public:
  ChatProxy(ChatProxyServices services, ChatProxyOptions options)
      : services_(services), options_(std::move(options)) {}

  void handle(CompletionApi api, std::string route, const httplib::Request& req,
              httplib::Response& res, const Principal& principal) const;

 private:
  std::unique_ptr<httplib::Client> client() const;
  httplib::Headers upstream_headers() const;
  void answer_whole(Exchange x, const std::string& path, const std::string& body, CompletionApi api,
                    const moderation::TextModerator& moderator, httplib::Response& res) const;
  void answer_stream(Exchange x, const std::string& path, std::string body, CompletionApi api,
                     std::shared_ptr<const moderation::TextModerator> moderator,
                     httplib::Response& res) const;

  ChatProxyServices services_;
  ChatProxyOptions options_;
};

std::unique_ptr<httplib::Client> ChatProxy::client() const {
  auto c = std::make_unique<httplib::Client>(split_url(options_.upstream_url).origin);
  const auto seconds = static_cast<time_t>(options_.timeout.count());
  c->set_connection_timeout(seconds, 0);
  c->set_read_timeout(seconds, 0);
  c->set_write_timeout(seconds, 0);
  return c;
}

httplib::Headers ChatProxy::upstream_headers() const {
  httplib::Headers headers;
  if (!options_.upstream_api_key.empty()) {
    headers.emplace("Authorization", "Bearer " + options_.upstream_api_key);
  }
  return headers;
}

void ChatProxy::handle(CompletionApi api, std::string route, const httplib::Request& req,
                       httplib::Response& res, const Principal& principal) const {
  // 1. Who the end user is, and whether they may generate.
  std::string user_id;
  if (principal.user_id) {
    user_id = *principal.user_id;
  } else if (principal.role == Role::kService && req.has_header(std::string(kUserHeader).c_str())) {
    user_id = req.get_header_value(std::string(kUserHeader).c_str());
  }
  if (user_id.empty()) {
    write_refusal(res, ErrorCode::kPermissionDenied, "user_unknown",
                  "no end user: the API key is not mapped to a user and no " +
                      std::string(kUserHeader) + " header was sent");
    return;
  }
  auto may = services_.users.can_generate(user_id);
  if (!may) {
    write_error(res, may.error());
    return;
  }
  if (!*may) {
    write_refusal(res, ErrorCode::kPermissionDenied, "identity_not_verified",
                  "the user has no verified real-name identity (or is suspended)");
    return;
  }

  const json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    write_error(res, Error{ErrorCode::kInvalidArgument, "the body must be a JSON object"});
    return;
  }
  const bool stream = body.contains("stream") && body["stream"] == true;
  if (body.contains("tools") || body.contains("functions")) {
    write_error(res, Error{ErrorCode::kInvalidArgument,
                           "tool calls are not supported by the proxy: their arguments would "
                           "pass unmoderated"});
    return;
  }
  if (stream && body.contains("n") && body["n"] != 1) {
    write_error(res, Error{ErrorCode::kInvalidArgument, "a stream must have n = 1"});
    return;
  }
  auto prompt = prompt_text(body, api);
  if (!prompt) {
    write_error(res, prompt.error());
    return;
  }

  Exchange x;
  x.route = route;
  x.actor = principal.key_id.empty() ? "anonymous" : principal.key_id;
  x.user_id = user_id;
  x.content_id = services_.ids.next_content_id();
  x.stream = stream;
  x.prompt = *prompt;
  res.set_header(std::string(kContentIdHeader).c_str(), x.content_id.to_string());

  // 2. The prompt.
  const auto moderator = services_.lexicon.current();
  if (!moderator) {
    write_error(res, Error{ErrorCode::kUnavailable, "no text moderator is loaded"});
    return;
  }
  auto checked = moderator->check(*prompt);
  if (!checked) {
    write_error(res, checked.error());
    return;
  }
  if (services_.classifier != nullptr) {
    moderation::add_matches(*checked, services_.classifier->classify(*prompt, "prompt").matches);
  }
  x.decision = checked->decision;
  x.prompt_decision = checked->decision;
  x.matches = checked->matches;
  if (blocks(*checked, options_.block_on_review)) {
    x.stage = "prompt";
    x.withheld = true;
    if (auto audited = audit_exchange(services_.audit, x); !audited) {
      write_error(res, audited.error());
      return;
    }
    write_refusal(res, ErrorCode::kPermissionDenied, "prompt_blocked",
                  "the prompt was refused by content moderation");
    return;
  }

  // 3. The upstream.
  if (options_.upstream_url.empty()) {
    write_error(res, Error{ErrorCode::kUnavailable,
                           "no upstream model server is configured (proxy.upstream_url)"});
    return;
  }
  // From here `decision` and `matches` are the answer's; a prompt passed under review keeps
  // its decision in prompt_decision.
  x.stage = "answer";
  x.decision = moderation::Decision::kPass;
  x.matches.clear();
  const auto path = split_url(options_.upstream_url).prefix +
                    (api == CompletionApi::kChat ? "/chat/completions" : "/completions");
  if (stream) {
    answer_stream(std::move(x), path, req.body, api, moderator, res);
  } else {
    answer_whole(std::move(x), path, req.body, api, *moderator, res);
  }
}

void ChatProxy::answer_whole(Exchange x, const std::string& path, const std::string& body,
                             CompletionApi api, const moderation::TextModerator& moderator,
                             httplib::Response& res) const {
  auto up = client()->Post(path.c_str(), upstream_headers(), body, "application/json");
  if (!up) {
    write_error(res,
                Error{ErrorCode::kUnavailable, "the upstream model server cannot be reached (" +
                                                   httplib::to_string(up.error()) + ")"});
    return;
  }
  if (up->status >= 400 && up->status < 500) {
    write_json(res, up->status,
               {{"error",
                 {{"code", "invalid_argument"},
                  {"message", "the upstream refused the request (status " +
                                  std::to_string(up->status) + ")"}}}});
    return;
  }
  json answer = json::parse(up->body, nullptr, false);
  if (up->status >= 300 || answer.is_discarded() || !answer.is_object() ||
      !answer.contains("choices") || !answer["choices"].is_array()) {
    write_error(res, Error{ErrorCode::kUnavailable, "the upstream answered status " +
                                                        std::to_string(up->status) +
                                                        " without a completion"});
    return;
  }
  // 4. Each choice: checked, then labelled or replaced by the refusal.
  std::string delivered;
  for (auto& choice : answer["choices"]) {
    if (!choice.is_object()) continue;
    std::string text;
    if (api == CompletionApi::kChat) {
      const auto message = choice.find("message");
      if (message != choice.end() && message->is_object() && message->contains("content") &&
          (*message)["content"].is_string()) {
        text = (*message)["content"].get<std::string>();
      }
    } else if (choice.contains("text") && choice["text"].is_string()) {
      text = choice["text"].get<std::string>();
    }
    auto checked = moderator.check(text);
    if (!checked) {
      write_error(res, checked.error());
      return;
    }
    if (services_.classifier != nullptr) {
      moderation::add_matches(*checked, services_.classifier->classify(text, "output").matches);
    }
    x.decision = std::max(x.decision, checked->decision);
    x.matches.insert(x.matches.end(), checked->matches.begin(), checked->matches.end());
    std::string out;
    if (blocks(*checked, options_.block_on_review)) {
      x.withheld = true;
      out = options_.refusal;
      choice["finish_reason"] = "content_filter";
    } else {
      out = labelled(checked->masked_text, options_.label);
    }
    if (api == CompletionApi::kChat) {
      // Only the role and the checked content go back: reasoning or tool-call fields would
      // pass unmoderated.
      choice["message"] = {{"role", "assistant"}, {"content", out}};
    } else {
      choice["text"] = out;
    }
    choice.erase("logprobs");
    delivered += (delivered.empty() ? "" : "\n") + out;
  }
  x.answer = delivered;
  if (!x.withheld) x.labels = label_names(options_.label);
  // Nothing unaudited leaves: without its audit entry the answer is withheld.
  if (auto audited = audit_exchange(services_.audit, x); !audited) {
    write_error(res, audited.error());
    return;
  }
  write_json(res, 200, answer);
}

void ChatProxy::answer_stream(Exchange x, const std::string& path, std::string body,
                              CompletionApi api,
                              std::shared_ptr<const moderation::TextModerator> moderator,
                              httplib::Response& res) const {
  StreamRelayOptions relay_options;
  relay_options.api = api;
  relay_options.format =
      api == CompletionApi::kChat ? labels::TextFormat::kMarkdown : labels::TextFormat::kPlain;
  relay_options.label = options_.label;
  relay_options.block_on_review = options_.block_on_review;
  relay_options.refusal = options_.refusal;
  auto opened = ChatStreamRelay::open(std::move(moderator), relay_options);
  if (!opened) {
    write_error(res, opened.error());
    return;
  }
  std::shared_ptr<ChatStreamRelay> relay = std::move(*opened);
  res.status = 200;
  auto started = std::make_shared<bool>(false);
  // The whole upstream exchange runs inside the first call of the provider, on the worker
  // thread that writes the answer: each upstream piece is checked and written on at once.
  res.set_chunked_content_provider(
      "text/event-stream", [this, x = std::move(x), path, body = std::move(body), relay, started](
                               std::size_t, httplib::DataSink& sink) mutable {
        if (*started) return false;
        *started = true;
        int upstream_status = 0;
        bool client_gone = false;
        httplib::Request up;
        up.method = "POST";
        up.path = path;
        up.headers = upstream_headers();
        up.headers.emplace("Accept", "text/event-stream");
        up.headers.emplace("Content-Type", "application/json");
        up.body = body;
        up.response_handler = [&](const httplib::Response& r) {
          upstream_status = r.status;
          return true;
        };
        up.content_receiver = [&](const char* data, std::size_t size, std::uint64_t,
                                  std::uint64_t) {
          if (upstream_status < 200 || upstream_status >= 300) return false;
          const std::string out = relay->feed(std::string_view(data, size));
          if (!out.empty() && !sink.write(out.data(), out.size())) {
            client_gone = true;
            return false;
          }
          return !relay->done();  // false closes the upstream (after a cut)
        };
        auto result = client()->send(up);
        std::string tail;
        if (!relay->done()) {
          if (upstream_status != 0 && (upstream_status < 200 || upstream_status >= 300)) {
            tail = relay->fail("the upstream answered status " + std::to_string(upstream_status));
          } else if (!result && !relay->received_any()) {
            tail = relay->fail("the upstream model server cannot be reached (" +
                               httplib::to_string(result.error()) + ")");
          } else {
            tail = relay->finish();
          }
        }
        if (!client_gone && !tail.empty()) sink.write(tail.data(), tail.size());
        x.decision = relay->decision().decision;
        x.matches = relay->decision().matches;
        x.withheld = relay->cut();
        x.answer = relay->delivered_text();
        if (!relay->cut() && !relay->failed()) x.labels = label_names(options_.label);
        x.upstream_failed = relay->failed();
        if (auto audited = audit_exchange(services_.audit, x); !audited) {
          // The answer is already out; the gap must at least be loud.
          services_.logger->error("audit of streamed content {} failed: {}",
                                  x.content_id.to_string(), audited.error().message);
        }
        sink.done();
        return true;
      });
}

}  // namespace

void add_chat_proxy_routes(GatewayServer& server, ChatProxyServices services,
                           ChatProxyOptions options) {
  auto proxy = std::make_shared<const ChatProxy>(services, std::move(options));
  const RouteAccess access{{Role::kService}};
  server.add_route(
      "POST", "/v1/chat/completions", access,
      [proxy](const httplib::Request& req, httplib::Response& res, const Principal& principal) {
        proxy->handle(CompletionApi::kChat, "/v1/chat/completions", req, res, principal);
      });
  server.add_route(
      "POST", "/v1/completions", access,
      [proxy](const httplib::Request& req, httplib::Response& res, const Principal& principal) {
        proxy->handle(CompletionApi::kCompletion, "/v1/completions", req, res, principal);
      });
}

}  // namespace synthgate::server
