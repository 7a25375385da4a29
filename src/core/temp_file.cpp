#include "core/temp_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace synthgate {

namespace fs = std::filesystem;

Result<TempFile> TempFile::create(const fs::path& dir, std::string_view prefix) {
  std::error_code ec;
  const fs::path base = dir.empty() ? fs::temp_directory_path(ec) : dir;
  if (ec) return fail(ErrorCode::kIo, "no temporary directory: " + ec.message());
  std::string pattern = (base / (std::string(prefix) + "XXXXXX")).string();
  const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);  // mode 0600
  if (fd < 0) {
    return fail(ErrorCode::kIo,
                "cannot make a temporary file in " + base.string() + ": " + std::strerror(errno));
  }
  ::close(fd);
  return TempFile(fs::path(pattern));
}

Result<TempFile> TempFile::holding(ByteView bytes, const fs::path& dir, std::string_view prefix) {
  auto file = create(dir, prefix);
  if (!file) return file;
  const int fd = ::open(file->path().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return fail(ErrorCode::kIo, "cannot write " + file->path().string());
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return fail(ErrorCode::kIo,
                  "cannot write " + file->path().string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return file;
}

TempFile::TempFile(TempFile&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

TempFile& TempFile::operator=(TempFile&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TempFile::~TempFile() {
  remove();
}

void TempFile::remove() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove(path_, ec);
  path_.clear();
}

}  // namespace synthgate
