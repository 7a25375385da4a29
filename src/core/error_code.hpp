#pragma once

#include <string_view>

namespace synthgate {

// The closed set of error kinds. Each maps to one HTTP status and one exit code, so a
// failure deep in a module reaches the user the same way through the API and the CLI.
enum class ErrorCode {
  kInvalidArgument,  // the input was read and refused
  kUsage,            // the command line itself is wrong
  kConfig,           // a configuration value is wrong
  kNotFound,
  kAlreadyExists,
  kUnauthenticated,
  kPermissionDenied,
  kFailedPrecondition,  // the request is valid but the state does not allow it
  kConflict,            // a concurrent change won; retrying may succeed
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kResourceExhausted,  // rate limits, quotas
  kUnavailable,        // a dependency (database, upstream) cannot be reached
  kIo,                 // a local file could not be read or written
  kInternal,
};

// snake_case name used in JSON error bodies: {"error": {"code": "not_found", ...}}.
std::string_view code_name(ErrorCode code);

// HTTP status for an error that reaches the API.
int http_status(ErrorCode code);

// Process exit code: 2 for usage and configuration errors, 1 for everything else.
int exit_code(ErrorCode code);

}  // namespace synthgate
