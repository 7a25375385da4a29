#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::reports {

// One test of a run, as a JUnit XML report gives it.
struct TestCaseResult {
  std::string name;    // "suite.case" when the report names a class, else the test's name
  std::string status;  // passed, failed or skipped
  double seconds = 0;
};

// A test run read back as evidence for the security self-assessment: what ran and how it
// ended, from `ctest --output-junit FILE` or a GoogleTest `--gtest_output=xml:FILE` report.
struct TestRun {
  std::string name;
  std::string timestamp;  // as the report states it
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::size_t skipped = 0;
  std::vector<TestCaseResult> cases;
};

// kInvalidArgument when the bytes are not a JUnit report (a <testsuite> or <testsuites>
// root with <testcase> elements) or hold more than 100,000 cases.
Result<TestRun> read_junit_results(ByteView xml);

}  // namespace synthgate::reports
