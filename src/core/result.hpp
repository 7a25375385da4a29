#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

#include "core/error_code.hpp"

namespace synthgate {

// What went wrong, in one line a user can act on.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
};

// Errors are values at every module boundary; exceptions never cross the public API.
template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

// Adds context in front of a message while keeping the code: "database: " + "...".
inline Error with_context(Error error, std::string_view context) {
  error.message.insert(0, std::string(context) + ": ");
  return error;
}

}  // namespace synthgate
