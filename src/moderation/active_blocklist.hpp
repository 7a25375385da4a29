#pragma once

#include <atomic>
#include <memory>

#include "moderation/hash_blocklist.hpp"

namespace synthgate::moderation {

// The PDQ blocklist in force. A check takes the current snapshot and keeps it while it runs;
// a takedown builds the next index aside and swaps the pointer, so the very next admission
// sees the new hash and no check in flight sees half an index. Null: no blocklist at all.
class ActiveBlocklist {
 public:
  explicit ActiveBlocklist(std::shared_ptr<const HashBlocklist> initial = nullptr)
      : current_(std::move(initial)) {}

  std::shared_ptr<const HashBlocklist> current() const { return current_.load(); }
  void replace(std::shared_ptr<const HashBlocklist> next) { current_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<const HashBlocklist>> current_;
};

}  // namespace synthgate::moderation
