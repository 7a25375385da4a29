#pragma once

#include <atomic>
#include <memory>

#include "moderation/text_moderator.hpp"

namespace synthgate::moderation {

// The lexicon in force. Requests take the current moderator and keep it for as long as they
// run; a reload builds the new one aside and swaps the pointer, so no request in flight is
// dropped or sees half a lexicon, and a lexicon that fails to build never replaces a good one.
class ActiveLexicon {
 public:
  explicit ActiveLexicon(std::shared_ptr<const TextModerator> initial)
      : current_(std::move(initial)) {}

  std::shared_ptr<const TextModerator> current() const { return current_.load(); }
  void replace(std::shared_ptr<const TextModerator> next) { current_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<const TextModerator>> current_;
};

}  // namespace synthgate::moderation
