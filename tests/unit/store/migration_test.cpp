#include "store/migration.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "support/backend_test.hpp"

namespace synthgate::store {
namespace {

const ManualClock kClock(TimePoint(std::chrono::seconds(1'800'000'000)));

MigrationSet notes_v1() {
  return {"notes",
          {{1, "create notes", "CREATE TABLE notes (id BIGINT PRIMARY KEY, body BLOB NOT NULL)",
            "CREATE TABLE notes (id BIGINT PRIMARY KEY, body BYTEA NOT NULL)"}}};
}

MigrationSet notes_v2() {
  MigrationSet set = notes_v1();
  set.migrations.push_back(
      {2, "add author",
       "ALTER TABLE notes ADD COLUMN author TEXT; CREATE INDEX notes_author ON notes (author)"});
  return set;
}

class MigrationTest : public testing::BackendTest {};

TEST_P(MigrationTest, AppliesEachMigrationOnceAndRecordsIt) {
  const std::vector<MigrationSet> v1 = {notes_v1()};
  auto first = migrate(store(), v1, kClock);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].module, "notes");

  const std::vector<MigrationSet> v2 = {notes_v2()};
  auto second = migrate(store(), v2, kClock);
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].version, 2);

  auto third = migrate(store(), v2, kClock);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->empty());

  ASSERT_TRUE(store().execute("INSERT INTO notes (id, body, author) VALUES (?, ?, ?)",
                              {std::int64_t{1}, Bytes{1, 2}, std::string("a")}));
  auto ledger = store().query(
      "SELECT module, version, name, applied_at_ms FROM schema_migrations ORDER BY version");
  ASSERT_TRUE(ledger);
  ASSERT_EQ(ledger->size(), 2u);
  EXPECT_EQ(*ledger->rows[1].text(2), "add author");
  EXPECT_EQ(*ledger->rows[1].integer(3), 1'800'000'000'000);
}

TEST_P(MigrationTest, AFailingMigrationLeavesNothingBehind) {
  MigrationSet broken = notes_v1();
  broken.migrations.push_back({2, "broken", "ALTER TABLE no_such_table ADD COLUMN x TEXT"});
  const std::vector<MigrationSet> sets = {broken};
  auto result = migrate(store(), sets, kClock);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("migration notes 2 (broken)"), std::string::npos);
  // Version 1 was rolled back with it: the table does not exist.
  EXPECT_FALSE(store().query("SELECT * FROM notes"));
}

TEST_P(MigrationTest, RefusesADatabaseNewerThanTheProgram) {
  const std::vector<MigrationSet> v2 = {notes_v2()};
  ASSERT_TRUE(migrate(store(), v2, kClock));
  const std::vector<MigrationSet> v1 = {notes_v1()};
  auto older = migrate(store(), v1, kClock);
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(older.error().message.find("newer than this program knows"), std::string::npos);
}

TEST_P(MigrationTest, ProcessesStartingTogetherApplyItOnce) {
  auto other = open_again();
  ASSERT_NE(other, nullptr);
  const std::vector<MigrationSet> sets = {notes_v2()};
  Result<std::vector<AppliedMigration>> a, b;
  std::thread ta([&] { a = migrate(store(), sets, kClock); });
  std::thread tb([&] { b = migrate(*other, sets, kClock); });
  ta.join();
  tb.join();
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(a->size() + b->size(), 2u);
}

TEST(Migration, RefusesGapsInNumbering) {
  testing::TempDir dir;
  auto s = open_store(*DatabaseUrl::parse("sqlite:" + (dir / "m.db").string()), {});
  ASSERT_TRUE(s);
  MigrationSet gap{"gap", {{1, "a", "SELECT 1"}, {3, "c", "SELECT 1"}}};
  const std::vector<MigrationSet> sets = {gap};
  EXPECT_FALSE(migrate(**s, sets, kClock));
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(MigrationTest);

}  // namespace
}  // namespace synthgate::store
