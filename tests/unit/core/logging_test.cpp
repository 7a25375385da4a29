#include "core/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace synthgate {
namespace {

TEST(Logging, JsonLinesAreOneValidObjectPerLine) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto log = make_logger("test", LogConfig{"info", LogFormat::kJson}, sink);
  log->info("quote \" backslash \\ newline \n tab \t and 中文");
  log->debug("not shown at info");
  log->warn("second");
  std::istringstream lines(out.str());
  std::string line;
  std::vector<nlohmann::json> records;
  while (std::getline(lines, line)) records.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["level"], "info");
  EXPECT_EQ(records[0]["logger"], "test");
  EXPECT_EQ(records[0]["msg"], "quote \" backslash \\ newline \n tab \t and 中文");
  EXPECT_EQ(records[1]["level"], "warning");
  EXPECT_TRUE(records[0]["ts"].get<std::string>().ends_with("Z"));
}

TEST(Logging, InvalidUtf8NeverBreaksALine) {
  const std::string line = json_log_line("t", "info", "x", "bad \xff byte");
  EXPECT_TRUE(nlohmann::json::accept(line));
}

TEST(Logging, TextFormatHasLevelAndName) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto log = make_logger("gate", LogConfig{"info", LogFormat::kText}, sink);
  log->error("boom");
  EXPECT_NE(out.str().find("error gate: boom"), std::string::npos);
}

}  // namespace
}  // namespace synthgate
