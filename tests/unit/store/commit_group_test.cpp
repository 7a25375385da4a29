#include "store/commit_group.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/backend_test.hpp"

namespace synthgate::store {
namespace {

class CommitGroupTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    ASSERT_TRUE(store().execute("CREATE TABLE entries (id BIGINT PRIMARY KEY, writer BIGINT)"));
  }
  std::int64_t count() {
    auto rows = store().query("SELECT COUNT(*) FROM entries");
    return rows ? *rows->rows[0].integer(0) : -1;
  }
};

TEST_P(CommitGroupTest, ManyWritersShareCommitsAndLoseNothing) {
  CommitGroup group(store());
  constexpr int kThreads = 16;
  constexpr int kEach = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::int64_t id = t * 1000 + i;
        auto done = group.run([&](Session& s) -> Status {
          auto r =
              s.execute("INSERT INTO entries (id, writer) VALUES (?, ?)", {id, std::int64_t{t}});
          if (!r) return tl::unexpected(r.error());
          return {};
        });
        if (!done) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(count(), kThreads * kEach);
  const auto stats = group.stats();
  EXPECT_EQ(stats.works, static_cast<std::uint64_t>(kThreads * kEach));
  EXPECT_LE(stats.commits, stats.works);
}

TEST_P(CommitGroupTest, AFailingWorkIsRolledBackAloneAndReportedToItsCaller) {
  CommitGroup group(store());
  ASSERT_TRUE(store().execute("INSERT INTO entries (id) VALUES (?)", {std::int64_t{7}}));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, already{0};
  for (std::int64_t i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      // Every fourth writer collides with id 7 after writing a row of its own first.
      auto done = group.run([&](Session& s) -> Status {
        if (auto r = s.execute("INSERT INTO entries (id) VALUES (?)", {100 + i}); !r) {
          return tl::unexpected(r.error());
        }
        if (i % 4 == 0) {
          if (auto r = s.execute("INSERT INTO entries (id) VALUES (?)", {std::int64_t{7}}); !r) {
            return tl::unexpected(r.error());
          }
        }
        return {};
      });
      if (done)
        ++ok;
      else if (done.error().code == ErrorCode::kAlreadyExists)
        ++already;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 15);
  EXPECT_EQ(already.load(), 5);
  EXPECT_EQ(count(), 1 + 15);  // the failed works' first rows were rolled back too
}

TEST_P(CommitGroupTest, AThrowingWorkFailsAloneAndTheGroupGoesOn) {
  CommitGroup group(store());
  auto thrown = group.run([](Session&) -> Status { throw std::runtime_error("bug"); });
  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error().code, ErrorCode::kInternal);
  auto next = group.run([](Session& s) -> Status {
    auto r = s.execute("INSERT INTO entries (id) VALUES (?)", {std::int64_t{1}});
    if (!r) return tl::unexpected(r.error());
    return {};
  });
  EXPECT_TRUE(next);
  EXPECT_EQ(count(), 1);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(CommitGroupTest);

}  // namespace
}  // namespace synthgate::store
