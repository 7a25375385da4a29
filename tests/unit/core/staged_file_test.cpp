#include "core/staged_file.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "core/file_io.hpp"
#include "support/temp_dir.hpp"

namespace synthgate {
namespace {

unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(StagedFile, IsPrivateAndRemovedWithItsOwner) {
  testing::TempDir dir;
  std::filesystem::path path;
  {
    StagedFile file = StagedFile::in_directory(dir.path(), "upload");
    ASSERT_TRUE(file.ok());
    path = file.path();
    EXPECT_EQ(path.parent_path(), dir.path());
    EXPECT_EQ(mode_of(path), 0600u);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(StagedFile, AMovedFileIsRemovedOnceByItsNewOwner) {
  testing::TempDir dir;
  StagedFile made = StagedFile::in_directory(dir.path(), "move");
  ASSERT_TRUE(made.ok());
  const auto path = made.path();
  std::optional<StagedFile> owner;
  owner.emplace(std::move(made));
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(made.ok());
  owner.reset();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(StagedFile, ADirectoryThatDoesNotExistGivesNoFile) {
  StagedFile file = StagedFile::in_directory("/nonexistent/synthgate-dir", "x");
  EXPECT_FALSE(file.ok());
}

TEST(StagedFile, CommitPutsTheWholeFileInPlaceReadable) {
  testing::TempDir dir;
  const auto destination = dir / "out.txt";
  StagedFile staged(destination);
  ASSERT_TRUE(staged.ok());
  EXPECT_EQ(staged.path().parent_path(), dir.path());
  std::ofstream(staged.path()) << "labelled";
  EXPECT_FALSE(std::filesystem::exists(destination));
  ASSERT_TRUE(staged.commit(destination));
  EXPECT_EQ(read_file(destination).value(), (Bytes{'l', 'a', 'b', 'e', 'l', 'l', 'e', 'd'}));
  EXPECT_EQ(mode_of(destination), 0644u);
  EXPECT_FALSE(staged.ok());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

}  // namespace
}  // namespace synthgate
