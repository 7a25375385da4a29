// JUnit reports of ctest and GoogleTest read back as self-assessment evidence.
#include "reports/test_results.hpp"

#include <gtest/gtest.h>

#include <string>

namespace synthgate::reports {
namespace {

TEST(TestResults, ReadsCtestJunitWithFailuresAndSkips) {
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Linux-c++" tests="3" failures="1" timestamp="2026-11-29T07:00:00">
  <testcase name="core" classname="core" time="0.2" status="run"/>
  <testcase name="pipeline/sqlite" classname="pipeline/sqlite" time="13.9" status="fail">
    <failure message="Failed"/></testcase>
  <testcase name="slow" classname="slow" time="0" status="notrun"><skipped/></testcase>
</testsuite>)";
  auto run = read_junit_results(as_bytes(xml));
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->timestamp, "2026-11-29T07:00:00");
  EXPECT_EQ(run->passed, 1u);
  EXPECT_EQ(run->failed, 1u);
  EXPECT_EQ(run->skipped, 1u);
  ASSERT_EQ(run->cases.size(), 3u);
  EXPECT_EQ(run->cases[1].name, "pipeline/sqlite");
  EXPECT_EQ(run->cases[1].status, "failed");
  EXPECT_DOUBLE_EQ(run->cases[1].seconds, 13.9);
}

TEST(TestResults, ReadsGoogleTestSuitesAsSuiteDotCase) {
  const std::string xml = R"(<testsuites name="AllTests" timestamp="2026-11-29T07:00:00.000">
  <testsuite name="ReportPdf"><testcase name="RefusesAnImageThatIsNotAPng" classname="ReportPdf"
    status="run" result="completed" time="0.017"/></testsuite>
  <testsuite name="ReportHtml"><testcase name="Escapes" classname="ReportHtml" status="run"
    result="completed" time="0"/></testsuite>
</testsuites>)";
  auto run = read_junit_results(as_bytes(xml));
  ASSERT_TRUE(run) << run.error().message;
  ASSERT_EQ(run->cases.size(), 2u);
  EXPECT_EQ(run->cases[0].name, "ReportPdf.RefusesAnImageThatIsNotAPng");
  EXPECT_EQ(run->passed, 2u);
}

TEST(TestResults, RefusesWhatIsNotAJunitReport) {
  for (const std::string& bad : {std::string("not xml <"), std::string("<html><body/></html>"),
                                 std::string("<testsuite name=\"x\"/>"),
                                 std::string("<testsuite><testcase/></testsuite>")}) {
    auto run = read_junit_results(as_bytes(bad));
    ASSERT_FALSE(run) << bad;
    EXPECT_EQ(run.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace synthgate::reports
