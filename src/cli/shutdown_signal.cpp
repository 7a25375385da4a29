#include "cli/shutdown_signal.hpp"

#include <pthread.h>

namespace synthgate::cli {

ShutdownSignal::ShutdownSignal() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
}

ShutdownSignal::~ShutdownSignal() {
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

int ShutdownSignal::wait() {
  int received = 0;
  while (sigwait(&signals_, &received) != 0) {
  }
  return received;
}

}  // namespace synthgate::cli
