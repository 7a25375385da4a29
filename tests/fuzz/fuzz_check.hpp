#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant of a fuzz target: on failure, says which and aborts, so libFuzzer keeps the
// input as a crash (crash-<sha1>) and the run fails.
#define FUZZ_CHECK(condition)                                                                     \
  do {                                                                                            \
    if (!(condition)) {                                                                           \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                               \
    }                                                                                             \
  } while (false)
