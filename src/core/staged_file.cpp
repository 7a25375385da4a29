#include "core/staged_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <system_error>

namespace synthgate {

namespace fs = std::filesystem;

namespace {

fs::path make_temp(const fs::path& dir, const std::string& stem) {
  std::string pattern = (dir / ("." + stem + ".synthgate-XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) return {};
  ::close(fd);
  return pattern;
}

}  // namespace

StagedFile::StagedFile(const fs::path& destination) {
  const fs::path dir = destination.has_parent_path() ? destination.parent_path() : ".";
  path_ = make_temp(dir, destination.filename().string());
}

StagedFile StagedFile::in_directory(const fs::path& directory, std::string_view stem) {
  StagedFile file;
  file.path_ = make_temp(directory, std::string(stem));
  return file;
}

StagedFile::~StagedFile() {
  std::error_code ec;
  if (!path_.empty()) fs::remove(path_, ec);
}

StagedFile::StagedFile(StagedFile&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

Status StagedFile::commit(const fs::path& destination) {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    return fail(ErrorCode::kIo, "cannot sync " + path_.string());
  }
  ::close(fd);
  std::error_code ec;
  fs::permissions(path_,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::others_read,
                  ec);
  fs::rename(path_, destination, ec);
  if (ec) return fail(ErrorCode::kIo, "cannot write " + destination.string() + ": " + ec.message());
  path_.clear();
  return {};
}

}  // namespace synthgate
