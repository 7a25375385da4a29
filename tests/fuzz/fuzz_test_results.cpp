// read_junit_results on arbitrary bytes (a test report an operator hands to the
// self-assessment): it refuses, or the counts agree with the cases it returns.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"
#include "reports/test_results.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto run = synthgate::reports::read_junit_results(synthgate::ByteView(data, size));
  if (run) {
    FUZZ_CHECK(!run->cases.empty());
    FUZZ_CHECK(run->passed + run->failed + run->skipped == run->cases.size());
    for (const auto& c : run->cases) {
      FUZZ_CHECK(!c.name.empty());
      FUZZ_CHECK(c.seconds >= 0);
      FUZZ_CHECK(c.status == "passed" || c.status == "failed" || c.status == "skipped");
    }
  }
  return 0;
}
