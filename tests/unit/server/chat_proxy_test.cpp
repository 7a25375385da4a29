#include "server/chat_proxy.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "labels/text_label.hpp"
#include "server/classifier_hook.hpp"
#include "server/sse_event_reader.hpp"
#include "support/server_harness.hpp"
#include "unit/identity/identity_fixture.hpp"
#include "unit/moderation/shared_tables.hpp"

namespace synthgate::server {
namespace {

using nlohmann::json;

constexpr std::string_view kLexicon =
    "法轮功\tA.1.1\tblock\n"
    "赌博网站\tA.1.6\treview\n";

const std::string kWording{labels::kDefaultTextWording};
const std::string kBenign = "今天天气很好，我们去公园散步吧。公园里有很多花，也有很多人在跑步。";

// An OpenAI-compatible model server on a loopback port: it answers with what the test set
// and counts its calls. A stream is written as the given raw pieces, one write each.
class FakeUpstream {
 public:
  FakeUpstream() {
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      ++calls_;
      last_authorization_ = req.get_header_value("Authorization");
      const json body = json::parse(req.body, nullptr, false);
      const bool chat = req.path == "/v1/chat/completions";
      if (body.value("stream", false)) {
        auto pieces = pieces_;
        res.set_chunked_content_provider("text/event-stream",
                                         [pieces](std::size_t, httplib::DataSink& sink) {
                                           for (const auto& p : pieces) {
                                             if (!sink.write(p.data(), p.size())) return false;
                                           }
                                           sink.done();
                                           return true;
                                         });
        return;
      }
      json choice = {{"index", 0}, {"finish_reason", "stop"}};
      if (chat) {
        choice["message"] = {
            {"role", "assistant"}, {"content", answer_}, {"reasoning_content", answer_}};
      } else {
        choice["text"] = answer_;
      }
      res.set_content(json{{"id", "cmpl-1"},
                           {"object", chat ? "chat.completion" : "text_completion"},
                           {"model", "fake"},
                           {"choices", json::array({choice})}}
                          .dump(),
                      "application/json");
    };
    server_.Post("/v1/chat/completions", handler);
    server_.Post("/v1/completions", handler);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeUpstream() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  void answer(std::string text) {
    std::lock_guard lock(mutex_);
    answer_ = std::move(text);
  }
  // Chat chunks, one SSE event per delta, then a finish chunk and [DONE].
  void stream_deltas(const std::vector<std::string>& deltas) {
    std::vector<std::string> pieces;
    json role = {
        {"id", "c1"},
        {"object", "chat.completion.chunk"},
        {"model", "fake"},
        {"choices",
         {{{"index", 0}, {"delta", {{"role", "assistant"}}}, {"finish_reason", nullptr}}}}};
    pieces.push_back("data: " + role.dump() + "\n\n");
    for (const auto& d : deltas) {
      json chunk = role;
      chunk["choices"][0]["delta"] = {{"content", d}};
      pieces.push_back("data: " + chunk.dump() + "\r\n\r\n");
    }
    json last = role;
    last["choices"][0]["delta"] = json::object();
    last["choices"][0]["finish_reason"] = "stop";
    pieces.push_back("data: " + last.dump() + "\n\n");
    pieces.push_back("data: [DONE]\n\n");
    std::lock_guard lock(mutex_);
    pieces_ = std::move(pieces);
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::string last_authorization() {
    std::lock_guard lock(mutex_);
    return last_authorization_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  int calls_ = 0;
  std::string answer_;
  std::string last_authorization_;
  std::vector<std::string> pieces_;
};

// What a client made of a proxied stream.
struct StreamSeen {
  std::string content;  // every delta's content, joined
  std::vector<std::string> finish_reasons;
  bool error = false;
  bool done = false;  // [DONE] came last
};

StreamSeen read_stream(const std::string& body) {
  StreamSeen seen;
  SseEventReader reader;
  auto events = reader.feed(body);
  EXPECT_TRUE(events);
  if (!events) return seen;
  for (const auto& e : *events) {
    EXPECT_FALSE(seen.done) << "an event after [DONE]";
    if (e.data == "[DONE]") {
      seen.done = true;
      continue;
    }
    const json j = json::parse(e.data);
    if (j.contains("error")) {
      seen.error = true;
      continue;
    }
    for (const auto& c : j["choices"]) {
      if (c.contains("delta") && c["delta"].contains("content")) {
        seen.content += c["delta"]["content"].get<std::string>();
      }
      if (c.contains("text")) seen.content += c["text"].get<std::string>();
      if (!c["finish_reason"].is_null()) seen.finish_reasons.push_back(c["finish_reason"]);
    }
  }
  return seen;
}

class ChatProxyTest : public identity::IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto lexicon = moderation::parse_lexicon(kLexicon, "test.tsv");
    ASSERT_TRUE(lexicon);
    auto moderator = moderation::TextModerator::build(testing::shared_tables(), *lexicon, {});
    ASSERT_TRUE(moderator) << moderator.error().message;
    lexicon_ = std::make_unique<moderation::ActiveLexicon>(*moderator);
  }

  void start(ChatProxyOptions options) {
    add_chat_proxy_routes(harness_.server(),
                          {*users_, *lexicon_, *audit_, ids_,
                           make_logger("t", {"off", LogFormat::kText}), classifier_.get()},
                          std::move(options));
    harness_.start();
  }
  void start_with_upstream(labels::TextPlacement placement = labels::TextPlacement::kStart) {
    ChatProxyOptions options;
    options.upstream_url = upstream_.url();
    options.upstream_api_key = "upstream-secret";
    options.timeout = std::chrono::seconds(10);
    options.label.placement = placement;
    start(std::move(options));
  }

  std::string verified_user() {
    identity::Registration reg;
    reg.name = "张三";
    reg.id_number = "11010519491231002X";
    reg.phone = "13800138000";
    auto user = users_->create(reg);
    EXPECT_TRUE(user) << user.error().message;
    if (!user) return "";
    auto v = users_->start_verification(user->id, "sms_code", "test");
    EXPECT_TRUE(v);
    EXPECT_TRUE(users_->confirm(user->id, v->id, sender_.last_code(), "test"));
    return user->id;
  }

  httplib::Result post(const std::string& path, const json& body, const std::string& user) {
    auto client = harness_.client();
    httplib::Headers headers;
    if (!user.empty()) headers.emplace(std::string(kUserHeader), user);
    return client.Post(path.c_str(), headers, body.dump(), "application/json");
  }

  static json chat(const std::string& prompt, bool stream = false) {
    return {{"model", "fake"},
            {"stream", stream},
            {"messages",
             {{{"role", "system"}, {"content", "你是助手。"}},
              {{"role", "user"}, {"content", prompt}}}}};
  }

  std::vector<audit::AuditEvent> audited(const std::string& content_id) {
    audit::EntryFilter filter;
    filter.content_id = content_id;
    auto entries = audit_->entries(filter);
    EXPECT_TRUE(entries) << entries.error().message;
    std::vector<audit::AuditEvent> out;
    for (const auto& e : entries.value_or(std::vector<audit::AuditEntry>{})) {
      if (e.event) out.push_back(*e.event);
    }
    return out;
  }

  FakeUpstream upstream_;
  std::unique_ptr<moderation::ActiveLexicon> lexicon_;
  testing::ServerHarness harness_;
  std::unique_ptr<ClassifierHook> classifier_;  // set before start() to consult one
};

// The provider's classifier over real HTTP: scores any text holding 暴力 as violence 0.95.
class FakeViolenceClassifier {
 public:
  FakeViolenceClassifier() {
    server_.Post("/classify", [](const httplib::Request& req, httplib::Response& res) {
      const auto text = json::parse(req.body).value("text", "");
      const double score = text.find("暴力") != std::string::npos ? 0.95 : 0.0;
      res.set_content(json{{"scores", {{"violence", score}}}}.dump(), "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeViolenceClassifier() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/classify"; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_P(ChatProxyTest, WholeAnswerIsLabelledAndAudited) {
  start_with_upstream();
  const auto user = verified_user();
  upstream_.answer(kBenign);
  auto res = post("/v1/chat/completions", chat("讲一个故事"), user);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(upstream_.calls(), 1);
  EXPECT_EQ(upstream_.last_authorization(), "Bearer upstream-secret");
  const json body = json::parse(res->body);
  const auto content = body["choices"][0]["message"]["content"].get<std::string>();
  EXPECT_TRUE(content.starts_with(kWording)) << content;
  EXPECT_NE(content.find(kBenign), std::string::npos);
  EXPECT_FALSE(body["choices"][0]["message"].contains("reasoning_content"));
  EXPECT_TRUE(labels::find_text_label(content, labels::TextFormat::kPlain).conforming);

  const auto content_id = res->get_header_value(std::string(kContentIdHeader).c_str());
  ASSERT_TRUE(ContentId::parse(content_id)) << content_id;
  const auto events = audited(content_id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, audit::EventType::kOutputLabelled);
  EXPECT_EQ(events[0].user_id, user);
  EXPECT_EQ(events[0].labels, std::vector<std::string>{"text_label_start"});
  EXPECT_EQ(events[0].details.at("decision"), "pass");
  EXPECT_EQ(events[0].content_hashes.at("answer_sha256"), hex_encode(sha256(as_bytes(content))));
}

TEST_P(ChatProxyTest, CompletionsAnswerIsLabelledAtTheEnd) {
  start_with_upstream(labels::TextPlacement::kEnd);
  const auto user = verified_user();
  upstream_.answer(kBenign);
  auto res = post("/v1/completions", {{"model", "fake"}, {"prompt", "从前"}}, user);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const auto text = json::parse(res->body)["choices"][0]["text"].get<std::string>();
  EXPECT_TRUE(text.starts_with(kBenign)) << text;
  EXPECT_NE(text.find(kWording), std::string::npos);
}

TEST_P(ChatProxyTest, BlockedWholeAnswerIsReplacedByTheRefusal) {
  start_with_upstream();
  const auto user = verified_user();
  upstream_.answer("好的，下面介绍法轮功的历史。");
  auto res = post("/v1/chat/completions", chat("讲一个故事"), user);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->body.find("法轮功"), std::string::npos) << res->body;
  const json body = json::parse(res->body);
  EXPECT_EQ(body["choices"][0]["message"]["content"], ChatProxyOptions{}.refusal);
  EXPECT_EQ(body["choices"][0]["finish_reason"], "content_filter");
  const auto events = audited(res->get_header_value(std::string(kContentIdHeader).c_str()));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, audit::EventType::kModerationDecided);
  EXPECT_EQ(events[0].details.at("decision"), "block");
  EXPECT_EQ(events[0].details.at("stage"), "answer");
}

TEST_P(ChatProxyTest, StreamIsLabelledAndComplete) {
  start_with_upstream();
  const auto user = verified_user();
  upstream_.stream_deltas(
      {"今天天气很好，", "我们去公园散步吧。", "公园里有很多花，", "也有很多人在跑步。"});
  auto res = post("/v1/chat/completions", chat("讲一个故事", true), user);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_NE(res->get_header_value("Content-Type").find("text/event-stream"), std::string::npos);
  const auto seen = read_stream(res->body);
  EXPECT_TRUE(seen.done);
  EXPECT_FALSE(seen.error);
  EXPECT_TRUE(seen.content.starts_with(kWording)) << seen.content;
  EXPECT_NE(seen.content.find(kBenign), std::string::npos) << seen.content;
  EXPECT_EQ(seen.finish_reasons, std::vector<std::string>{"stop"});
  const auto events = audited(res->get_header_value(std::string(kContentIdHeader).c_str()));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, audit::EventType::kOutputLabelled);
  EXPECT_EQ(events[0].details.at("stream"), "true");
}

TEST_P(ChatProxyTest, StreamWithABannedTermAcrossTwoChunksIsCut) {
  start_with_upstream();
  const auto user = verified_user();
  upstream_.stream_deltas({kBenign + "然后我们聊聊法轮", "功的历史。", "以及更多细节。"});
  auto res = post("/v1/chat/completions", chat("讲一个故事", true), user);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const auto seen = read_stream(res->body);
  EXPECT_TRUE(seen.done);
  EXPECT_EQ(res->body.find("法轮"), std::string::npos) << res->body;
  EXPECT_EQ(res->body.find("功的历史"), std::string::npos);
  EXPECT_EQ(res->body.find("更多细节"), std::string::npos);
  // What was safe went out before the cut, label first; then the refusal.
  EXPECT_TRUE(seen.content.starts_with(kWording)) << seen.content;
  EXPECT_NE(seen.content.find("今天天气很好"), std::string::npos) << seen.content;
  EXPECT_TRUE(seen.content.ends_with(ChatProxyOptions{}.refusal)) << seen.content;
  EXPECT_EQ(seen.finish_reasons, std::vector<std::string>{"content_filter"});
  const auto events = audited(res->get_header_value(std::string(kContentIdHeader).c_str()));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, audit::EventType::kModerationDecided);
  EXPECT_EQ(events[0].details.at("decision"), "block");
  EXPECT_EQ(events[0].details.at("withheld"), "true");
}

TEST_P(ChatProxyTest, UnverifiedOrUnknownUserIsRefusedBeforeTheUpstream) {
  start_with_upstream();
  identity::Registration reg;
  reg.name = "李四";
  reg.id_number = "11010519491231002X";
  reg.phone = "13900139000";
  auto user = users_->create(reg);
  ASSERT_TRUE(user);
  auto res = post("/v1/chat/completions", chat("你好"), user->id);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(json::parse(res->body)["error"]["reason"], "identity_not_verified");
  auto anonymous = post("/v1/chat/completions", chat("你好", true), "");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 403);
  EXPECT_EQ(json::parse(anonymous->body)["error"]["reason"], "user_unknown");
  EXPECT_EQ(upstream_.calls(), 0);
}

TEST_P(ChatProxyTest, TheClassifierRefusesPromptsAndWithholdsAnswers) {
  FakeViolenceClassifier fake;
  auto c = HttpClassifier::create({fake.url(), std::chrono::milliseconds(2000), ""},
                                  {{{"*", 0.5, 0.9, moderation::Decision::kPass}}},
                                  &harness_.server().metrics());
  ASSERT_TRUE(c) << c.error().message;
  classifier_ = std::make_unique<ClassifierHook>(std::move(*c));
  start_with_upstream();
  const auto user = verified_user();

  // The lexicon has nothing against this prompt; the classifier blocks it.
  auto refused = post("/v1/chat/completions", chat("写一段暴力的故事"), user);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403) << refused->body;
  EXPECT_EQ(json::parse(refused->body)["error"]["reason"], "prompt_blocked");
  EXPECT_EQ(upstream_.calls(), 0);

  // A harmless prompt whose whole answer the classifier flags gets the refusal instead.
  upstream_.answer("好的，下面是暴力场面。");
  auto res = post("/v1/chat/completions", chat("讲一个故事"), user);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json body = json::parse(res->body);
  EXPECT_EQ(body["choices"][0]["message"]["content"], ChatProxyOptions{}.refusal);
  EXPECT_EQ(body["choices"][0]["finish_reason"], "content_filter");
  EXPECT_NE(
      harness_.server().metrics().render().find(
          R"(synthgate_dependency_duration_seconds_count{dependency="classifier",outcome="ok"} 3)"),
      std::string::npos)
      << harness_.server().metrics().render();
}

TEST_P(ChatProxyTest, BannedPromptIsRefusedBeforeTheUpstream) {
  start_with_upstream();
  const auto user = verified_user();
  auto res = post("/v1/chat/completions", chat("请介绍法轮功", true), user);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403);
  const json body = json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], "permission_denied");
  EXPECT_EQ(body["error"]["reason"], "prompt_blocked");
  EXPECT_EQ(upstream_.calls(), 0);
  const auto events = audited(res->get_header_value(std::string(kContentIdHeader).c_str()));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].details.at("stage"), "prompt");
  EXPECT_FALSE(events[0].content_hashes.contains("answer_sha256"));
}

TEST_P(ChatProxyTest, PromptUnderReviewPassesAndIsAudited) {
  start_with_upstream();
  const auto user = verified_user();
  upstream_.answer(kBenign);
  auto res = post("/v1/chat/completions", chat("什么是赌博网站"), user);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(upstream_.calls(), 1);
  const auto events = audited(res->get_header_value(std::string(kContentIdHeader).c_str()));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].details.at("prompt_decision"), "review");
  EXPECT_EQ(events[0].details.at("decision"), "pass");
}

TEST_P(ChatProxyTest, UpstreamDownOrMissingIsAJsonError) {
  // A port that was free a moment ago: nothing listens there.
  int closed_port = 0;
  {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    closed_port = ntohs(addr.sin_port);
    ::close(fd);
  }
  ChatProxyOptions options;
  options.upstream_url = "http://127.0.0.1:" + std::to_string(closed_port) + "/v1";
  options.timeout = std::chrono::seconds(5);
  start(std::move(options));
  const auto user = verified_user();
  auto res = post("/v1/chat/completions", chat("你好"), user);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "unavailable");
  // A stream has answered 200 before the upstream is tried: it ends with an error event.
  auto streamed = post("/v1/chat/completions", chat("你好", true), user);
  ASSERT_TRUE(streamed);
  const auto seen = read_stream(streamed->body);
  EXPECT_TRUE(seen.error);
  EXPECT_TRUE(seen.done);
  EXPECT_EQ(seen.content, "");
}

TEST_P(ChatProxyTest, NoUpstreamConfiguredAnswers503) {
  start({});
  const auto user = verified_user();
  auto res = post("/v1/completions", {{"prompt", "你好"}}, user);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "unavailable");
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(ChatProxyTest);

}  // namespace
}  // namespace synthgate::server
