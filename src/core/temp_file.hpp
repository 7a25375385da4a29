#pragma once

#include <filesystem>
#include <string_view>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate {

// A private (0600) file that is removed when its owner goes: where an upload or an
// intermediate result waits for a reader that wants a path (streaming metadata readers,
// FFmpeg) without leaving anything behind on any path out.
class TempFile {
 public:
  // Creates an empty file "<dir>/<prefix>XXXXXX" (dir empty: the system's temporary
  // directory).
  static Result<TempFile> create(const std::filesystem::path& dir = {},
                                 std::string_view prefix = "synthgate-");
  // Creates one and writes `bytes` to it.
  static Result<TempFile> holding(ByteView bytes, const std::filesystem::path& dir = {},
                                  std::string_view prefix = "synthgate-");

  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&& other) noexcept;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {}
  void remove();
  std::filesystem::path path_;
};

}  // namespace synthgate
