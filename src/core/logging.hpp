#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "core/config.hpp"

namespace synthgate {

using Logger = std::shared_ptr<spdlog::logger>;

// A logger writing to stderr as text or as JSON lines ({"ts","level","logger","msg"}).
// Loggers are passed to whoever needs one; nothing is registered globally. Log messages
// carry ids and counts, never secrets or personal data: key material has no formatter
// (SecretBytes) and database URLs go through redact_database_url() before they are logged.
Logger make_logger(const std::string& name, const LogConfig& config);

// The same, writing to a sink the caller owns (tests read what was logged).
Logger make_logger(const std::string& name, const LogConfig& config, spdlog::sink_ptr sink);

// One JSON line for a log record (exposed for tests).
std::string json_log_line(std::string_view timestamp, std::string_view level,
                          std::string_view logger, std::string_view message);

}  // namespace synthgate
