#include "store/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "support/backend_test.hpp"

namespace synthgate::store {
namespace {

using testing::BackendTest;

class StoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    const char* blob = postgres() ? "BYTEA" : "BLOB";
    ASSERT_TRUE(
        store().execute(std::string("CREATE TABLE things (id BIGINT PRIMARY KEY, name TEXT, "
                                    "score DOUBLE PRECISION, data ") +
                        blob + ")"));
  }
};

TEST_P(StoreTest, RoundTripsEveryValueType) {
  const Bytes blob = {0x00, 0xff, 0x10, 0x00, 0x7f};
  ASSERT_TRUE(
      store().execute("INSERT INTO things (id, name, score, data) VALUES (?, ?, ?, ?)",
                      {std::int64_t{9007199254740993}, std::string("名字 'quoted' ?"), 2.5, blob}));
  ASSERT_TRUE(store().execute("INSERT INTO things (id, name, score, data) VALUES (?, ?, ?, ?)",
                              {std::int64_t{-1}, Null{}, Null{}, Bytes{}}));
  auto rows = store().query("SELECT id, name, score, data FROM things ORDER BY id DESC");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"id", "name", "score", "data"}));
  const Row& first = rows->rows[0];
  EXPECT_EQ(*first.integer(0), 9007199254740993);
  EXPECT_EQ(*first.text(1), "名字 'quoted' ?");
  EXPECT_DOUBLE_EQ(*first.real(2), 2.5);
  EXPECT_EQ(*first.blob(3), blob);
  const Row& second = rows->rows[1];
  EXPECT_TRUE(second.is_null(1));
  EXPECT_TRUE(second.is_null(2));
  EXPECT_EQ(*second.blob(3), Bytes{});
  EXPECT_FALSE(second.text(0));  // an integer is not read as text
}

TEST_P(StoreTest, ExecuteCountsChangedRows) {
  for (std::int64_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        store().execute("INSERT INTO things (id, name) VALUES (?, ?)", {i, std::string("n")}));
  }
  auto changed = store().execute("UPDATE things SET name = ? WHERE id >= ?",
                                 {std::string("m"), std::int64_t{2}});
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 3);
}

TEST_P(StoreTest, DuplicateKeyIsAlreadyExists) {
  ASSERT_TRUE(store().execute("INSERT INTO things (id) VALUES (?)", {std::int64_t{1}}));
  auto again = store().execute("INSERT INTO things (id) VALUES (?)", {std::int64_t{1}});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(StoreTest, BadSqlIsAnErrorNotACrash) {
  auto bad = store().query("SELEC nonsense");
  ASSERT_FALSE(bad);
  EXPECT_FALSE(bad.error().message.empty());
  auto missing = store().query("SELECT * FROM no_such_table");
  EXPECT_FALSE(missing);
  // The store stays usable afterwards.
  EXPECT_TRUE(store().query("SELECT 1"));
}

TEST_P(StoreTest, FailedWorkRollsBackEverything) {
  auto result = store().transact([](Session& s) -> Status {
    if (auto r = s.execute("INSERT INTO things (id) VALUES (?)", {std::int64_t{1}}); !r) {
      return tl::unexpected(r.error());
    }
    return fail(ErrorCode::kInvalidArgument, "changed my mind");
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "changed my mind");
  auto rows = store().query("SELECT COUNT(*) FROM things");
  EXPECT_EQ(*rows->rows[0].integer(0), 0);
}

TEST_P(StoreTest, CommittedWorkIsVisibleToAnotherConnectionAtOnce) {
  auto other = open_again();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(store().transact([](Session& s) -> Status {
    for (std::int64_t i = 0; i < 3; ++i) {
      if (auto r = s.execute("INSERT INTO things (id) VALUES (?)", {i}); !r)
        return tl::unexpected(r.error());
    }
    return {};
  }));
  auto rows = other->query("SELECT COUNT(*) FROM things");
  ASSERT_TRUE(rows);
  EXPECT_EQ(*rows->rows[0].integer(0), 3);
}

TEST_P(StoreTest, ConcurrentWritersFromTwoStoresLoseNothing) {
  auto other = open_again();
  ASSERT_NE(other, nullptr);
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  auto writer = [&](Store& s, std::int64_t base) {
    for (std::int64_t i = 0; i < kPerThread; ++i) {
      if (!s.execute("INSERT INTO things (id) VALUES (?)", {base + i})) ++failures;
    }
  };
  std::thread a(writer, std::ref(store()), 0), b(writer, std::ref(*other), 1000),
      c(writer, std::ref(store()), 2000), d(writer, std::ref(*other), 3000);
  a.join();
  b.join();
  c.join();
  d.join();
  EXPECT_EQ(failures.load(), 0);
  auto rows = store().query("SELECT COUNT(*) FROM things");
  EXPECT_EQ(*rows->rows[0].integer(0), 4 * kPerThread);
}

TEST_P(StoreTest, ParameterCountMismatchIsRefused) {
  EXPECT_FALSE(store().execute("INSERT INTO things (id, name) VALUES (?, ?)", {std::int64_t{1}}));
}

TEST_P(StoreTest, PingAnswers) {
  EXPECT_TRUE(store().ping());
  EXPECT_EQ(store().backend(), postgres() ? Backend::kPostgresql : Backend::kSqlite);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(StoreTest);

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  testing::TempDir dir;
  const auto path = dir / "not.db";
  std::ofstream(path) << std::string(4096, 'x');
  auto url = DatabaseUrl::parse("sqlite:" + path.string());
  auto opened = open_store(*url, {});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().message.find("not a database"), std::string::npos)
      << opened.error().message;
}

TEST(SqliteStore, CreatesTheDirectoryOfANewDatabase) {
  testing::TempDir dir;
  auto url = DatabaseUrl::parse("sqlite:" + (dir / "a/b/c.db").string());
  auto opened = open_store(*url, {});
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir / "a/b/c.db"));
}

TEST(PostgresStore, UnreachableServerIsUnavailableWithoutThePassword) {
  auto url =
      DatabaseUrl::parse("postgresql://admin:hunter2@127.0.0.1:1/synthgate?connect_timeout=2");
  auto opened = open_store(*url, {});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(opened.error().message.find("hunter2"), std::string::npos) << opened.error().message;
  EXPECT_NE(opened.error().message.find("admin:***@127.0.0.1:1"), std::string::npos)
      << opened.error().message;
}

}  // namespace
}  // namespace synthgate::store
