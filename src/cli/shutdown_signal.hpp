#pragma once

#include <csignal>

namespace synthgate::cli {

// Turns SIGINT and SIGTERM into an ordinary wait. Construct it before starting any thread:
// it blocks the signals, and threads inherit the mask, so only wait() receives them.
class ShutdownSignal {
 public:
  ShutdownSignal();
  ~ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  // Blocks until SIGINT or SIGTERM arrives; returns the signal number.
  int wait();

 private:
  sigset_t signals_{};
  sigset_t previous_{};
};

}  // namespace synthgate::cli
