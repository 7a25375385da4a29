// Durable single-row INSERTs per second through the store, on SQLite (a file in a fresh
// temporary directory: SYNTHGATE_BENCH_DIR, else TMPDIR, else /tmp) and on PostgreSQL when
// SYNTHGATE_BENCH_POSTGRES_URL names a database (scripts/run-benchmarks.sh starts one).
//
//   transact     one transaction, and one commit, per insert: Store::transact
//   commit_group CommitGroup::run from 1, 8 and 64 threads: concurrent inserts share commits
//
// Each insert writes one row (id BIGINT PRIMARY KEY, payload of 200 bytes) into the table
// bench_store_rows, made by the migration set "bench_store"; on PostgreSQL the table's rows
// are deleted when the benchmark opens the database. items_per_second counts rows made
// durable per second of wall time over all threads; per_commit is the mean number of
// inserts one CommitGroup commit carried.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "store/commit_group.hpp"
#include "store/database_url.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace {

namespace fs = std::filesystem;
using synthgate::Bytes;
using synthgate::Status;
using synthgate::store::Backend;
using synthgate::store::CommitGroup;
using synthgate::store::Session;
using synthgate::store::Store;

constexpr std::size_t kPayloadBytes = 200;
constexpr const char* kInsert = "INSERT INTO bench_store_rows (id, payload) VALUES (?, ?)";

const synthgate::store::MigrationSet kMigrations{
    "bench_store",
    {{1, "rows", "CREATE TABLE bench_store_rows (id BIGINT PRIMARY KEY, payload BLOB NOT NULL)",
      "CREATE TABLE bench_store_rows (id BIGINT PRIMARY KEY, payload BYTEA NOT NULL)"}}};

// One open database, shared by every benchmark and thread that uses its backend.
struct Target {
  std::unique_ptr<Store> store;
  std::unique_ptr<CommitGroup> group;
};

class Databases {
 public:
  // The open database for `backend`, or why there is none (the same answer every time).
  const Target* get(Backend backend, std::string& why) {
    std::lock_guard lock(mutex_);
    auto it = targets_.find(backend);
    if (it == targets_.end()) it = targets_.emplace(backend, open(backend)).first;
    if (!it->second.store) why = errors_[backend];
    return it->second.store ? &it->second : nullptr;
  }

  // Closes every database and removes the SQLite directory.
  void close() {
    std::lock_guard lock(mutex_);
    targets_.clear();
    if (!sqlite_dir_.empty()) {
      std::error_code ec;
      fs::remove_all(sqlite_dir_, ec);
      sqlite_dir_.clear();
    }
  }

 private:
  Target open(Backend backend) {
    std::string url;
    if (backend == Backend::kSqlite) {
      const char* base = std::getenv("SYNTHGATE_BENCH_DIR");
      std::string pattern =
          ((base != nullptr && *base != '\0') ? fs::path(base) : fs::temp_directory_path()) /
          "synthgate-bench.XXXXXX";
      if (mkdtemp(pattern.data()) == nullptr) return failed(backend, "cannot make " + pattern);
      sqlite_dir_ = pattern;
      url = "sqlite:" + (sqlite_dir_ / "bench.db").string();
      benchmark::AddCustomContext("sqlite_dir", sqlite_dir_.string());
    } else {
      const char* pg = std::getenv("SYNTHGATE_BENCH_POSTGRES_URL");
      if (pg == nullptr || *pg == '\0') {
        return failed(backend, "SYNTHGATE_BENCH_POSTGRES_URL is not set");
      }
      url = pg;
    }
    auto parsed = synthgate::store::DatabaseUrl::parse(url);
    if (!parsed) return failed(backend, parsed.error().message);
    auto store = synthgate::store::open_store(*parsed, {.pool_size = 8, .busy_timeout_ms = 5000});
    if (!store) return failed(backend, store.error().message);
    const synthgate::SystemClock clock;
    if (auto migrated = synthgate::store::migrate(**store, {&kMigrations, 1}, clock); !migrated) {
      return failed(backend, migrated.error().message);
    }
    if (auto emptied = (*store)->execute("DELETE FROM bench_store_rows"); !emptied) {
      return failed(backend, emptied.error().message);
    }
    Target target;
    target.group = std::make_unique<CommitGroup>(**store);
    target.store = std::move(*store);
    return target;
  }

  Target failed(Backend backend, std::string why) {
    errors_[backend] = std::move(why);
    return {};
  }

  std::mutex mutex_;
  std::map<Backend, Target> targets_;
  std::map<Backend, std::string> errors_;
  fs::path sqlite_dir_;
};

Databases& databases() {
  static Databases instance;
  return instance;
}

// Primary keys, unique across every benchmark of the process.
std::atomic<std::int64_t> next_id{1};

const Bytes& payload() {
  static const Bytes bytes = [] {
    Bytes b(kPayloadBytes);
    std::uint32_t x = 2463534242u;  // xorshift: incompressible, the same every run
    for (auto& byte : b) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      byte = static_cast<std::uint8_t>(x);
    }
    return b;
  }();
  return bytes;
}

Status insert_one(Session& session) {
  auto inserted =
      session.execute(kInsert, {next_id.fetch_add(1, std::memory_order_relaxed), Bytes(payload())});
  if (!inserted) return tl::unexpected(inserted.error());
  return {};
}

// Every thread asks for the database itself, so each one skips when it is missing.
const Target* target_or_skip(benchmark::State& state, Backend backend) {
  std::string why;
  const Target* target = databases().get(backend, why);
  if (target == nullptr) state.SkipWithError(why.c_str());
  return target;
}

void BM_Transact(benchmark::State& state, Backend backend) {
  const Target* target = target_or_skip(state, backend);
  if (target == nullptr) return;
  for (auto _ : state) {
    if (auto done = target->store->transact(insert_one); !done) {
      state.SkipWithError(done.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_CommitGroup(benchmark::State& state, Backend backend) {
  const Target* target = target_or_skip(state, backend);
  if (target == nullptr) return;
  CommitGroup::Stats before;
  if (state.thread_index() == 0) before = target->group->stats();
  const synthgate::store::Work work = insert_one;
  for (auto _ : state) {
    if (auto done = target->group->run(work); !done) {
      state.SkipWithError(done.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    // Counters add up over threads; only thread 0 reports this one, after all have stopped.
    const CommitGroup::Stats after = target->group->stats();
    const auto commits = after.commits - before.commits;
    state.counters["per_commit"] = commits == 0 ? 0.0
                                                : static_cast<double>(after.works - before.works) /
                                                      static_cast<double>(commits);
  }
}

void register_all() {
  for (const Backend backend : {Backend::kSqlite, Backend::kPostgresql}) {
    const std::string name(synthgate::store::backend_name(backend));
    benchmark::RegisterBenchmark(("transact/" + name).c_str(), BM_Transact, backend)
        ->Threads(1)
        ->Threads(8)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("commit_group/" + name).c_str(), BM_CommitGroup, backend)
        ->Threads(1)
        ->Threads(8)
        ->Threads(64)
        ->UseRealTime();
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  databases().close();
  return 0;
}
