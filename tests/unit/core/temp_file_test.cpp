#include "core/temp_file.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include "core/file_io.hpp"

namespace synthgate {
namespace {

TEST(TempFile, HoldsTheBytesPrivatelyAndIsRemovedWithItsOwner) {
  std::filesystem::path path;
  {
    const std::string text = "upload";
    auto file = TempFile::holding(as_bytes(text));
    ASSERT_TRUE(file) << file.error().message;
    path = file->path();
    EXPECT_EQ(read_file(path).value(), Bytes(text.begin(), text.end()));
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempFile, AMovedFileIsRemovedOnceByItsNewOwner) {
  auto made = TempFile::create({}, "synthgate-move-");
  ASSERT_TRUE(made);
  const auto path = made->path();
  std::optional<TempFile> owner;
  owner.emplace(std::move(*made));
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_TRUE(made->path().empty());
  owner.reset();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempFile, RefusesADirectoryThatDoesNotExist) {
  auto file = TempFile::create("/nonexistent/synthgate-dir");
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().code, ErrorCode::kIo);
}

}  // namespace
}  // namespace synthgate
