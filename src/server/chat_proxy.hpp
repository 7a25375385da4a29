#pragma once

#include <chrono>
#include <string>

#include "audit/audit_log.hpp"
#include "core/config.hpp"
#include "core/ids.hpp"
#include "core/logging.hpp"
#include "identity/user_registry.hpp"
#include "labels/text_label.hpp"
#include "moderation/active_lexicon.hpp"
#include "pipeline/text_classifier.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::server {

// The header a provider's own service sets to name the end user when its API key stands
// for no single user (honoured for the service role only).
inline constexpr std::string_view kUserHeader = "X-SynthGate-User";
// The content id of an exchange, in every answer of the proxy routes past the user check.
inline constexpr std::string_view kContentIdHeader = "X-SynthGate-Content-Id";

struct ChatProxyOptions {
  std::string upstream_url;  // base URL before /chat/completions; empty: the routes answer 503
  std::chrono::seconds timeout{120};
  std::string upstream_api_key;
  labels::TextLabelOptions label;
  bool block_on_review = false;
  std::string refusal = "抱歉，这个问题我无法回答。";
};

Result<ChatProxyOptions> chat_proxy_options(const ProxyConfig& config);

// What the proxy uses; all must outlive the server.
struct ChatProxyServices {
  identity::UserRegistry& users;
  const moderation::ActiveLexicon& lexicon;
  audit::AuditLog& audit;
  IdGenerator& ids;
  Logger logger;
  // The provider's classifier (moderation.classifier_url), consulted beside the lexicon for
  // the prompt and for whole answers; null: the lexicon alone.
  const pipeline::TextClassifier* classifier = nullptr;
};

// POST /v1/chat/completions and /v1/completions for the service role: the user check, the
// prompt check, the upstream call, the answer check and label, and one audit event per
// exchange (docs/chat-proxy.md).
void add_chat_proxy_routes(GatewayServer& server, ChatProxyServices services,
                           ChatProxyOptions options);

}  // namespace synthgate::server
