#include <gtest/gtest.h>

#include "store/postgres_store.hpp"

namespace synthgate::store {
namespace {

TEST(PostgresPlaceholders, NumbersQuestionMarksInOrder) {
  EXPECT_EQ(to_postgres_placeholders("INSERT INTO t (a, b) VALUES (?, ?)"),
            "INSERT INTO t (a, b) VALUES ($1, $2)");
  EXPECT_EQ(to_postgres_placeholders("SELECT 1"), "SELECT 1");
}

TEST(PostgresPlaceholders, LeavesQuotedTextAndCommentsAlone) {
  EXPECT_EQ(to_postgres_placeholders("SELECT '?', \"we?ird\", ? -- why?\n, ? /* ? */"),
            "SELECT '?', \"we?ird\", $1 -- why?\n, $2 /* ? */");
  EXPECT_EQ(to_postgres_placeholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(to_postgres_placeholders("SELECT 'unterminated ?"), "SELECT 'unterminated ?");
}

}  // namespace
}  // namespace synthgate::store
