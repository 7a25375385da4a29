#include "core/key_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "core/key_set.hpp"
#include "support/temp_dir.hpp"

namespace synthgate {
namespace {

namespace fs = std::filesystem;

TEST(KeyFile, RefusesFilesOthersCanRead) {
  testing::TempDir dir;
  const auto path = dir / "k.key";
  std::ofstream(path) << std::string(64, 'a') << "\n";
  ::chmod(path.c_str(), 0644);
  auto refused = read_symmetric_key_file(path, 32);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(refused.error().message.find("0644"), std::string::npos);
  EXPECT_NE(refused.error().message.find("chmod 600"), std::string::npos);

  ::chmod(path.c_str(), 0600);
  auto key = read_symmetric_key_file(path, 32);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->size(), 32u);
}

TEST(KeyFile, RefusesMissingFilesAndWrongLengths) {
  testing::TempDir dir;
  auto missing = read_key_file(dir / "absent.key");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(write_new_key_file(dir / "short.key", "abcd\n"));
  auto short_key = read_symmetric_key_file(dir / "short.key", 32);
  ASSERT_FALSE(short_key);
  EXPECT_NE(short_key.error().message.find("64 hexadecimal digits"), std::string::npos);
}

TEST(KeyFile, WritesWithOwnerOnlyModeAndNeverOverwrites) {
  testing::TempDir dir;
  const auto path = dir / "new.key";
  ASSERT_TRUE(write_new_key_file(path, "secret"));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = write_new_key_file(path, "other");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(*read_key_file(path), "secret");
  EXPECT_FALSE(fs::exists(dir / "new.key.tmp"));
}

TEST(KeySet, FirstRunGeneratesADevelopmentSetThatLaterRunsLoad) {
  testing::TempDir dir;
  SecureRandom random;
  const auto keys_dir = dir / "var/keys";
  auto first = load_key_set(keys_dir, true, random);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->generated.size(), 4u);  // two signing keys, two symmetric keys
  struct stat st {};
  ASSERT_EQ(::stat(keys_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  auto second = load_key_set(keys_dir, false, random);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->generated.empty());
  EXPECT_EQ(second->keys.audit_signing.public_key(), first->keys.audit_signing.public_key());
  EXPECT_TRUE(std::equal(second->keys.vault.view().begin(), second->keys.vault.view().end(),
                         first->keys.vault.view().begin()));
  EXPECT_FALSE(std::equal(second->keys.vault.view().begin(), second->keys.vault.view().end(),
                          second->keys.watermark.view().begin()));
}

TEST(KeySet, WithoutGenerationAMissingKeyIsNamed) {
  testing::TempDir dir;
  SecureRandom random;
  auto loaded = load_key_set(dir / "none", false, random);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("audit-signing.pem"), std::string::npos);
}

}  // namespace
}  // namespace synthgate
