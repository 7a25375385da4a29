#include "reports/test_results.hpp"

#include <pugixml.hpp>

#include <cstdlib>
#include <string_view>

namespace synthgate::reports {
namespace {

constexpr std::size_t kMaxCases = 100000;

Status read_suite(const pugi::xml_node& suite, TestRun& run) {
  for (const pugi::xml_node& test : suite.children("testcase")) {
    if (run.cases.size() >= kMaxCases) {
      return fail(ErrorCode::kInvalidArgument, "the test report holds over 100,000 cases");
    }
    TestCaseResult result;
    const std::string_view name = test.attribute("name").as_string();
    const std::string_view suite_name = test.attribute("classname").as_string();
    if (name.empty()) return fail(ErrorCode::kInvalidArgument, "a testcase has no name");
    result.name = suite_name.empty() || suite_name == name
                      ? std::string(name)
                      : std::string(suite_name) + "." + std::string(name);
    result.seconds = std::strtod(test.attribute("time").as_string("0"), nullptr);
    if (!(result.seconds >= 0) || result.seconds > 1e9) result.seconds = 0;
    const std::string_view status = test.attribute("status").as_string();
    const std::string_view outcome = test.attribute("result").as_string();
    if (test.child("failure") || test.child("error") || status == "fail") {
      result.status = "failed";
      ++run.failed;
    } else if (test.child("skipped") || status == "disabled" || status == "notrun" ||
               outcome == "skipped" || outcome == "suppressed") {
      result.status = "skipped";
      ++run.skipped;
    } else {
      result.status = "passed";
      ++run.passed;
    }
    run.cases.push_back(std::move(result));
  }
  return {};
}

}  // namespace

Result<TestRun> read_junit_results(ByteView xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return fail(ErrorCode::kInvalidArgument,
                std::string("the test report is not XML: ") + parsed.description());
  }
  const pugi::xml_node root = doc.document_element();
  const std::string_view root_name = root.name();
  TestRun run;
  run.name = root.attribute("name").as_string();
  run.timestamp = root.attribute("timestamp").as_string();
  if (root_name == "testsuite") {
    if (auto read = read_suite(root, run); !read) return tl::unexpected(read.error());
  } else if (root_name == "testsuites") {
    for (const pugi::xml_node& suite : root.children("testsuite")) {
      if (run.timestamp.empty()) run.timestamp = suite.attribute("timestamp").as_string();
      if (auto read = read_suite(suite, run); !read) return tl::unexpected(read.error());
    }
  } else {
    return fail(ErrorCode::kInvalidArgument, "the test report is not JUnit XML (its root is <" +
                                                 std::string(root_name) +
                                                 ">, not <testsuite> or <testsuites>)");
  }
  if (run.cases.empty()) return fail(ErrorCode::kInvalidArgument, "the test report has no tests");
  return run;
}

}  // namespace synthgate::reports
