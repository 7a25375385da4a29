#pragma once

#include <filesystem>

#include "core/result.hpp"

namespace synthgate {

// A temporary file beside a destination (same directory, so the final rename is atomic),
// removed when dropped unless commit() moved it into place. Tools that write files
// themselves (FFmpeg) write here; a failure leaves nothing at the destination.
class StagedFile {
 public:
  // In the directory of `destination`; path() is empty when no file could be made.
  explicit StagedFile(const std::filesystem::path& destination);
  // In `directory`, for scratch files that are never committed (uploads being processed).
  static StagedFile in_directory(const std::filesystem::path& directory, std::string_view stem);
  ~StagedFile();
  StagedFile(StagedFile&& other) noexcept;
  StagedFile& operator=(StagedFile&&) = delete;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  bool ok() const { return !path_.empty(); }

  // Syncs the file, makes it readable (0644) and renames it to `destination`.
  Status commit(const std::filesystem::path& destination);

 private:
  StagedFile() = default;
  std::filesystem::path path_;
};

}  // namespace synthgate
