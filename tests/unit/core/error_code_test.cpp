#include "core/error_code.hpp"

#include <gtest/gtest.h>

#include "core/result.hpp"

namespace synthgate {
namespace {

TEST(ErrorCode, MapsToHttpStatuses) {
  EXPECT_EQ(http_status(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(http_status(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(http_status(ErrorCode::kNotFound), 404);
  EXPECT_EQ(http_status(ErrorCode::kAlreadyExists), 409);
  EXPECT_EQ(http_status(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(http_status(ErrorCode::kUnsupportedMediaType), 415);
  EXPECT_EQ(http_status(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(http_status(ErrorCode::kInternal), 500);
  EXPECT_EQ(http_status(ErrorCode::kUnavailable), 503);
}

TEST(ErrorCode, UsageAndConfigurationExitWithTwoEverythingElseWithOne) {
  EXPECT_EQ(exit_code(ErrorCode::kUsage), 2);
  EXPECT_EQ(exit_code(ErrorCode::kConfig), 2);
  EXPECT_EQ(exit_code(ErrorCode::kInvalidArgument), 1);
  EXPECT_EQ(exit_code(ErrorCode::kUnavailable), 1);
  EXPECT_EQ(exit_code(ErrorCode::kInternal), 1);
}

TEST(ErrorCode, NamesAreSnakeCase) {
  EXPECT_EQ(code_name(ErrorCode::kNotFound), "not_found");
  EXPECT_EQ(code_name(ErrorCode::kPayloadTooLarge), "payload_too_large");
  EXPECT_EQ(code_name(ErrorCode::kInvalidArgument), "invalid_argument");
}

TEST(Result, CarriesAnErrorWithContext) {
  Result<int> r = fail(ErrorCode::kNotFound, "no such user");
  ASSERT_FALSE(r);
  const Error e = with_context(r.error(), "identity");
  EXPECT_EQ(e.code, ErrorCode::kNotFound);
  EXPECT_EQ(e.message, "identity: no such user");
}

}  // namespace
}  // namespace synthgate
