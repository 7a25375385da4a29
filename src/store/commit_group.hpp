#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

#include "store/store.hpp"

namespace synthgate::store {

// Group commit: many threads' small write transactions share one database commit (one
// fsync), which is what makes durable appends fast. A caller whose work finds no commit
// under way leads: it takes every waiting piece of work, runs each inside its own
// SAVEPOINT of one transaction, commits, and wakes the others. A piece that fails is rolled
// back to its savepoint alone; the others still commit. run() returns only once the
// caller's work is durable (or has failed).
class CommitGroup {
 public:
  explicit CommitGroup(Store& store, std::size_t max_batch = 1024)
      : store_(store), max_batch_(max_batch) {}

  Status run(const Work& work);

  struct Stats {
    std::uint64_t commits = 0;
    std::uint64_t works = 0;
  };
  Stats stats() const;

 private:
  struct Pending {
    const Work* work;
    Status result;
    bool done = false;
  };

  void lead(std::unique_lock<std::mutex>& lock);

  Store& store_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<Pending*> queue_;
  bool leader_active_ = false;
  Stats stats_;
};

}  // namespace synthgate::store
