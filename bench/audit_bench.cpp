// Audit log benchmarks, printed as tables: durable appends per second with 1, 8 and 64
// concurrent writers on SQLite and (given SYNTHGATE_BENCH_POSTGRES_URL) PostgreSQL; then,
// on SQLite, inclusion and consistency proof time and full verification time at
// SYNTHGATE_BENCH_AUDIT_ENTRIES entries (default 1,000,000).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "audit/audit_log.hpp"
#include "audit/audit_schema.hpp"
#include "core/secure_random.hpp"
#include "store/migration.hpp"

using namespace synthgate;
using Seconds = std::chrono::duration<double>;

namespace {

struct Database {
  std::string url;
  std::unique_ptr<store::Store> store;
};

std::unique_ptr<store::Store> open(const std::string& url_text, unsigned pool) {
  auto url = store::DatabaseUrl::parse(url_text);
  if (!url) return nullptr;
  auto s = store::open_store(*url, {pool, 30000});
  if (!s) {
    std::fprintf(stderr, "bench_audit: %s\n", s.error().message.c_str());
    return nullptr;
  }
  return std::move(*s);
}

// A fresh, migrated database: a new SQLite file, or a new schema of the PostgreSQL database.
Database fresh(bool postgres, const std::filesystem::path& dir, const std::string& name) {
  Database db;
  if (!postgres) {
    db.url = "sqlite:" + (dir / (name + ".db")).string();
  } else {
    const std::string base = std::getenv("SYNTHGATE_BENCH_POSTGRES_URL");
    const std::string schema = "bench_audit_" + std::to_string(::getpid()) + "_" + name;
    auto admin = open(base, 1);
    if (!admin) return db;
    (void)admin->execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    (void)admin->execute("CREATE SCHEMA " + schema);
    db.url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
             schema;
  }
  db.store = open(db.url, 8);
  SystemClock clock;
  const std::vector<store::MigrationSet> sets = {audit::audit_migrations()};
  if (db.store && !store::migrate(*db.store, sets, clock)) db.store.reset();
  return db;
}

audit::AuditEvent sample_event(std::uint64_t i) {
  audit::AuditEvent e;
  e.type = audit::EventType::kModerationDecided;
  e.actor = "bench";
  e.user_id = "user-" + std::to_string(i % 1000);
  e.content_id = "content-" + std::to_string(i);
  e.content_hashes = {{"sha256", std::string(64, 'a')}};
  e.details = {{"decision", "pass"}};
  return e;
}

// Appends from `writers` threads for `seconds`; returns appends per second.
double append_rate(audit::AuditLog& log, unsigned writers, double seconds) {
  std::atomic<std::uint64_t> done{0};
  std::atomic<bool> failed{false};
  const auto start = std::chrono::steady_clock::now();
  const auto until =
      start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(Seconds(seconds));
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      std::uint64_t i = w;
      while (std::chrono::steady_clock::now() < until) {
        if (!log.append(sample_event(i++))) {
          failed = true;
          return;
        }
        ++done;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = Seconds(std::chrono::steady_clock::now() - start).count();
  if (failed) std::fprintf(stderr, "bench_audit: an append failed\n");
  return static_cast<double>(done.load()) / elapsed;
}

}  // namespace

int main() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("synthgate-bench-audit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  SecureRandom random;
  const auto key = Ed25519SigningKey::generate(random);
  SystemClock clock;
  AuditConfig config;

  std::vector<bool> backends = {false};
  if (std::getenv("SYNTHGATE_BENCH_POSTGRES_URL") != nullptr) {
    backends.push_back(true);
  } else {
    std::printf("(PostgreSQL skipped: SYNTHGATE_BENCH_POSTGRES_URL is not set)\n");
  }
  std::printf("\nDurable audit appends (each acknowledged only once committed)\n");
  std::printf("%-12s %8s %16s\n", "backend", "writers", "appends/s");
  for (bool postgres : backends) {
    for (unsigned writers : {1u, 8u, 64u}) {
      auto db = fresh(postgres, dir, "rate" + std::to_string(writers));
      if (!db.store) return 1;
      audit::AuditLog log(*db.store, config, clock, &key);
      const double rate = append_rate(log, writers, 3.0);
      std::printf("%-12s %8u %16.0f\n", postgres ? "postgresql" : "sqlite", writers, rate);
      std::fflush(stdout);
    }
  }

  const char* env_n = std::getenv("SYNTHGATE_BENCH_AUDIT_ENTRIES");
  const std::uint64_t n = env_n ? std::strtoull(env_n, nullptr, 10) : 1000000;
  auto db = fresh(false, dir, "large");
  if (!db.store) return 1;
  AuditConfig large = config;
  large.checkpoint_every_entries = 100000;
  audit::AuditLog log(*db.store, large, clock, &key);
  {
    const auto start = std::chrono::steady_clock::now();
    std::atomic<std::uint64_t> next{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < 64; ++w) {
      threads.emplace_back([&] {
        for (std::uint64_t i; (i = next++) < n;) (void)log.append(sample_event(i));
      });
    }
    for (auto& t : threads) t.join();
    (void)log.publish_checkpoint();
    std::printf("\nFilled a SQLite log with %llu entries in %.1f s (64 writers)\n",
                static_cast<unsigned long long>(n),
                Seconds(std::chrono::steady_clock::now() - start).count());
  }
  const std::uint64_t size = *log.size();
  std::mt19937_64 rng(1);
  constexpr int kProofs = 2000;
  auto start = std::chrono::steady_clock::now();
  std::size_t hashes = 0;
  for (int i = 0; i < kProofs; ++i) {
    auto proof = log.prove_inclusion(rng() % size, size);
    if (proof) hashes += proof->path.size();
  }
  const double inclusion_us =
      Seconds(std::chrono::steady_clock::now() - start).count() * 1e6 / kProofs;
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < kProofs; ++i) {
    auto proof = log.prove_consistency(1 + rng() % (size - 1), size);
    (void)proof;
  }
  const double consistency_us =
      Seconds(std::chrono::steady_clock::now() - start).count() * 1e6 / kProofs;
  start = std::chrono::steady_clock::now();
  auto verifier = log.own_verifier_key();
  auto report = log.verify(*verifier);
  const double verify_s = Seconds(std::chrono::steady_clock::now() - start).count();

  std::printf("\nAt %llu entries (SQLite)\n", static_cast<unsigned long long>(size));
  std::printf("%-34s %14s\n", "operation", "time");
  std::printf("%-34s %11.1f us  (%.1f hashes)\n", "inclusion proof (random leaf)", inclusion_us,
              static_cast<double>(hashes) / kProofs);
  std::printf("%-34s %11.1f us\n", "consistency proof (random size)", consistency_us);
  std::printf("%-34s %12.2f s   (%s, %llu checkpoints)\n", "full verification", verify_s,
              report && report->ok ? "verified" : "FAILED",
              static_cast<unsigned long long>(report ? report->checkpoints_checked : 0));
  db.store.reset();
  std::filesystem::remove_all(dir);
  return report && report->ok ? 0 : 1;
}
