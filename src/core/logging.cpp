#include "core/logging.hpp"

#include <spdlog/details/fmt_helper.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <chrono>

#include <fmt/chrono.h>
#include <nlohmann/json.hpp>

namespace synthgate {

namespace {

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(msg.time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    const std::string ts =
        fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06d}Z", utc, static_cast<int>(micros % 1000000));
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line =
        json_log_line(ts, std::string_view(level.data(), level.size()),
                      std::string_view(msg.logger_name.data(), msg.logger_name.size()),
                      std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

}  // namespace

std::string json_log_line(std::string_view timestamp, std::string_view level,
                          std::string_view logger, std::string_view message) {
  nlohmann::ordered_json line;
  line["ts"] = timestamp;
  line["level"] = level;
  line["logger"] = logger;
  line["msg"] = message;
  // Replace rather than throw on invalid UTF-8: a log line must never fail.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Logger make_logger(const std::string& name, const LogConfig& config, spdlog::sink_ptr sink) {
  auto logger = std::make_shared<spdlog::logger>(name, std::move(sink));
  logger->set_level(spdlog::level::from_str(config.level));
  if (config.format == LogFormat::kJson) {
    logger->set_formatter(std::make_unique<JsonLineFormatter>());
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %n: %v", spdlog::pattern_time_type::utc);
  }
  logger->flush_on(spdlog::level::info);
  return logger;
}

Logger make_logger(const std::string& name, const LogConfig& config) {
  return make_logger(name, config, std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

}  // namespace synthgate
