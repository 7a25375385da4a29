#include "core/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace synthgate {
namespace {

std::filesystem::path write_file(const testing::TempDir& dir, const std::string& text) {
  const auto path = dir / "synthgate.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultsServeOnLoopbackWithEmbeddedSqlite) {
  auto config = load_config({});
  ASSERT_TRUE(config);
  EXPECT_EQ(config->server.listen.to_string(), "127.0.0.1:8080");
  EXPECT_EQ(config->database.url, "sqlite:var/synthgate.db");
  EXPECT_EQ(config->keys.dir, "var/keys");
  EXPECT_EQ(config->log.format, LogFormat::kText);
}

TEST(Config, FileThenEnvironmentThenFlags) {
  testing::TempDir dir;
  ConfigSources sources;
  sources.file = write_file(dir, R"(
[server]
listen = "0.0.0.0:9000"
threads = 3
[database]
url = "sqlite:/tmp/a.db"
pool_size = 2
[log]
format = "json"
)");
  sources.environment = {{"SYNTHGATE_DATABASE_URL", "postgresql://db.internal/synthgate"},
                         {"SYNTHGATE_SERVER_THREADS", "5"},
                         {"UNRELATED", "x"}};
  sources.flags = {{"server.threads", "7"}};
  auto config = load_config(sources);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->server.listen.to_string(), "0.0.0.0:9000");           // file
  EXPECT_EQ(config->database.url, "postgresql://db.internal/synthgate");  // environment
  EXPECT_EQ(config->database.pool_size, 2u);                              // file
  EXPECT_EQ(config->server.threads, 7u);                                  // flag
  EXPECT_EQ(config->log.format, LogFormat::kJson);
}

TEST(Config, ErrorsNameTheKeyTheSourceAndTheReason) {
  testing::TempDir dir;
  ConfigSources sources;
  sources.file = write_file(dir, "[server]\nlisten = \"nowhere\"\n");
  auto bad_value = load_config(sources);
  ASSERT_FALSE(bad_value);
  EXPECT_EQ(bad_value.error().code, ErrorCode::kConfig);
  EXPECT_NE(bad_value.error().message.find("server.listen"), std::string::npos);
  EXPECT_NE(bad_value.error().message.find("synthgate.toml"), std::string::npos);
  EXPECT_NE(bad_value.error().message.find("HOST:PORT"), std::string::npos);

  sources.file = write_file(dir, "[server]\nlisen = \"127.0.0.1:1\"\n");
  auto unknown = load_config(sources);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown configuration key server.lisen"),
            std::string::npos);

  sources.file = write_file(dir, "[database]\npool_size = \"four\"\n");
  auto wrong_type = load_config(sources);
  ASSERT_FALSE(wrong_type);
  EXPECT_NE(wrong_type.error().message.find("database.pool_size"), std::string::npos);
  EXPECT_NE(wrong_type.error().message.find("expected an integer"), std::string::npos);

  sources.file = write_file(dir, "[server\nlisten=");
  auto syntax = load_config(sources);
  ASSERT_FALSE(syntax);
  EXPECT_NE(syntax.error().message.find("synthgate.toml:1:"), std::string::npos);
}

TEST(Config, EnvironmentAndFlagErrorsSayWhereTheValueCameFrom) {
  ConfigSources env;
  env.environment = {{"SYNTHGATE_SERVER_MAX_BODY_BYTES", "12abc"}};
  auto from_env = load_config(env);
  ASSERT_FALSE(from_env);
  EXPECT_NE(from_env.error().message.find("SYNTHGATE_SERVER_MAX_BODY_BYTES"), std::string::npos);

  ConfigSources flags;
  flags.flags = {{"database.url", "mysql://x"}};
  auto from_flag = load_config(flags);
  ASSERT_FALSE(from_flag);
  EXPECT_NE(from_flag.error().message.find("command line"), std::string::npos);
  EXPECT_NE(from_flag.error().message.find("sqlite:PATH or postgresql://"), std::string::npos);

  ConfigSources range;
  range.flags = {{"database.pool_size", "0"}};
  EXPECT_FALSE(load_config(range));
}

TEST(Config, MissingFileIsAnError) {
  ConfigSources sources;
  sources.file = "/nonexistent/synthgate.toml";
  auto config = load_config(sources);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, ErrorCode::kConfig);
}

TEST(Config, TheExampleFileDocumentsEveryKeyAndLoads) {
  const char* example = std::getenv("SYNTHGATE_EXAMPLE_CONFIG");
  ASSERT_NE(example, nullptr) << "run under CTest, which names config/synthgate.example.toml";
  std::ifstream in(example);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string& key : config_keys()) {
    const std::string leaf = key.substr(key.find('.') + 1);
    EXPECT_NE(text.find("\n" + leaf + " = "), std::string::npos) << key << " is not documented";
  }
  ConfigSources sources;
  sources.file = example;
  auto config = load_config(sources);
  ASSERT_TRUE(config) << config.error().message;
  auto defaults = load_config({});
  EXPECT_EQ(config->server.listen.to_string(), defaults->server.listen.to_string());
  EXPECT_EQ(config->database.url, defaults->database.url);
}

TEST(Config, ProxyAndLexiconKeys) {
  ConfigSources sources;
  sources.environment = {{"SYNTHGATE_PROXY_UPSTREAM_URL", "http://127.0.0.1:8081/v1/"},
                         {"SYNTHGATE_PROXY_LABEL_POSITION", "end"},
                         {"SYNTHGATE_MODERATION_LEXICONS", "a.tsv,b.tsv"}};
  auto config = load_config(sources);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->proxy.upstream_url, "http://127.0.0.1:8081/v1");
  EXPECT_EQ(config->proxy.label_position, "end");
  EXPECT_EQ(config->moderation.lexicons, (std::vector<std::string>{"a.tsv", "b.tsv"}));
  EXPECT_EQ(load_config({}).value().proxy.upstream_url, "");

  testing::TempDir dir;
  ConfigSources from_file;
  from_file.file = write_file(dir, "[moderation]\nlexicons = [\"x.tsv\", \"y.tsv\"]\n");
  auto listed = load_config(from_file);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->moderation.lexicons, (std::vector<std::string>{"x.tsv", "y.tsv"}));
  from_file.file = write_file(dir, "[moderation]\nlexicons = \"x.tsv\"\n");
  EXPECT_FALSE(load_config(from_file));

  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"proxy.upstream_url", "ftp://host"},
                                                        {"proxy.upstream_url", "http://"},
                                                        {"proxy.label_position", "middle"},
                                                        {"proxy.review_action", "maybe"},
                                                        {"moderation.lexicons", "a.tsv,"}}) {
    ConfigSources bad;
    bad.flags = {{key, value}};
    auto refused = load_config(bad);
    ASSERT_FALSE(refused) << key << " = " << value;
    EXPECT_NE(refused.error().message.find(key), std::string::npos);
  }
}

TEST(ListenAddress, ParsesHostsPortsAndIpv6) {
  auto v4 = ListenAddress::parse("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->port, 8080);
  auto v6 = ListenAddress::parse("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->to_string(), "[::1]:0");
  EXPECT_FALSE(ListenAddress::parse("::1:80"));
  EXPECT_FALSE(ListenAddress::parse("localhost"));
  EXPECT_FALSE(ListenAddress::parse("localhost:65536"));
  EXPECT_FALSE(ListenAddress::parse(":80"));
  EXPECT_FALSE(ListenAddress::parse("a b:80"));
}

TEST(Config, EnvironmentVariableNames) {
  EXPECT_EQ(environment_variable_for("server.listen"), "SYNTHGATE_SERVER_LISTEN");
  EXPECT_EQ(environment_variable_for("database.busy_timeout_ms"),
            "SYNTHGATE_DATABASE_BUSY_TIMEOUT_MS");
}

}  // namespace
}  // namespace synthgate

namespace synthgate {
namespace {

TEST(Config, AuditRetentionCannotGoBelow180Days) {
  ConfigSources sources;
  sources.flags = {{"audit.retention_days", "179"}};
  auto refused = load_config(sources);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConfig);
  EXPECT_NE(refused.error().message.find("audit.retention_days"), std::string::npos);
  sources.flags = {{"audit.retention_days", "365"}};
  auto accepted = load_config(sources);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->audit.retention_days, 365u);
  EXPECT_EQ(load_config({})->audit.retention_days, 180u);
}

TEST(Config, AuditKeysAreChecked) {
  ConfigSources sources;
  sources.environment = {{"SYNTHGATE_AUDIT_AUDITOR_TOKEN_SHA256", "not-hex"}};
  EXPECT_FALSE(load_config(sources));
  sources.environment = {{"SYNTHGATE_AUDIT_ORIGIN", "has space"}};
  EXPECT_FALSE(load_config(sources));
  sources.environment = {{"SYNTHGATE_AUDIT_CHECKPOINT_EVERY_ENTRIES", "0"}};
  EXPECT_FALSE(load_config(sources));
  sources.environment = {{"SYNTHGATE_AUDIT_ORIGIN", "provider.example/audit"},
                         {"SYNTHGATE_AUDIT_CHECKPOINT_EVERY_SECONDS", "30"}};
  auto config = load_config(sources);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->audit.origin, "provider.example/audit");
  EXPECT_EQ(config->audit.checkpoint_every_seconds, 30u);
}

}  // namespace
}  // namespace synthgate

namespace synthgate {
namespace {

TEST(Config, ComplianceThresholdsAndFilingText) {
  ConfigSources sources;
  sources.environment = {
      {"SYNTHGATE_COMPLIANCE_MONTHLY_ACTIVE_USERS_THRESHOLD", "1000000"},
      {"SYNTHGATE_COMPLIANCE_COMPLAINT_CHANNEL", "https://example.cn/complaints"}};
  auto config = load_config(sources);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->compliance.monthly_active_users_threshold, 1000000u);
  EXPECT_EQ(config->compliance.registered_users_threshold, 0u);
  EXPECT_EQ(config->compliance.complaint_channel, "https://example.cn/complaints");

  sources.environment = {{"SYNTHGATE_COMPLIANCE_ALGORITHM_NAME", "two\nlines"}};
  auto refused = load_config(sources);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConfig);
  EXPECT_NE(refused.error().message.find("compliance.algorithm_name"), std::string::npos)
      << refused.error().message;
}

}  // namespace
}  // namespace synthgate
