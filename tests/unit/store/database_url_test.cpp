#include "store/database_url.hpp"

#include <gtest/gtest.h>

namespace synthgate::store {
namespace {

TEST(DatabaseUrl, ReadsSqlitePaths) {
  auto url = DatabaseUrl::parse("sqlite:var/synthgate.db");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->backend, Backend::kSqlite);
  EXPECT_EQ(url->sqlite_path, "var/synthgate.db");
  EXPECT_EQ(DatabaseUrl::parse("sqlite:///abs/x.db")->sqlite_path, "/abs/x.db");
  EXPECT_EQ(url->redacted(), "sqlite:var/synthgate.db");
}

TEST(DatabaseUrl, ReadsPostgresUris) {
  for (const char* text : {"postgresql://u@h/db", "postgres://u@h:5433/db?sslmode=require"}) {
    auto url = DatabaseUrl::parse(text);
    ASSERT_TRUE(url) << text;
    EXPECT_EQ(url->backend, Backend::kPostgresql);
    EXPECT_EQ(url->postgres_uri, text);
  }
}

TEST(DatabaseUrl, RefusesOtherSchemesAsUsageErrors) {
  for (const char* text : {"", "sqlite:", "mysql://x", "var/synthgate.db"}) {
    auto url = DatabaseUrl::parse(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, ErrorCode::kUsage);
  }
}

TEST(DatabaseUrl, RedactsPasswordsEverywhere) {
  EXPECT_EQ(redact_database_url("postgresql://admin:hunter2@db:5432/sg"),
            "postgresql://admin:***@db:5432/sg");
  EXPECT_EQ(redact_database_url("postgresql://admin@db/sg"), "postgresql://admin@db/sg");
  EXPECT_EQ(redact_database_url("postgresql://db/sg?user=a&password=hunter2&sslmode=require"),
            "postgresql://db/sg?user=a&password=***&sslmode=require");
  EXPECT_EQ(redact_database_url("postgresql://a:p%40ss@db/sg"), "postgresql://a:***@db/sg");
  // libpq reads '#' and '?' as part of a password: they must not end the redaction.
  EXPECT_EQ(redact_database_url("postgresql://gate:pa#ss@db.example/synthgate"),
            "postgresql://gate:***@db.example/synthgate");
  EXPECT_EQ(redact_database_url("postgresql://gate:pa?ss@db.example/synthgate"),
            "postgresql://gate:***@db.example/synthgate");
  auto refused = DatabaseUrl::parse("mysql://root:hunter2@db/x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message.find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::store
