#include "media/byte_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/file_io.hpp"

namespace synthgate::media {

namespace fs = std::filesystem;

namespace {
constexpr std::size_t kCopyPiece = std::size_t{1} << 20;

tl::unexpected<Error> io_error(const std::string& what, const std::string& path, int err) {
  return fail(ErrorCode::kIo, what + " " + path + ": " + std::strerror(err));
}

tl::unexpected<Error> past_end(std::uint64_t offset, std::size_t count) {
  return fail(ErrorCode::kInvalidArgument, "truncated: " + std::to_string(count) +
                                               " bytes at offset " + std::to_string(offset) +
                                               " run past the end of the file");
}
}  // namespace

Result<Bytes> MemorySource::read_at(std::uint64_t offset, std::size_t count) const {
  if (offset > bytes_.size() || count > bytes_.size() - offset) return past_end(offset, count);
  const auto begin = bytes_.begin() + static_cast<std::ptrdiff_t>(offset);
  return Bytes(begin, begin + static_cast<std::ptrdiff_t>(count));
}

Result<std::unique_ptr<FileSource>> FileSource::open(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                "cannot read " + path.string() + ": " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(ErrorCode::kInvalidArgument, path.string() + " is not a file");
  }
  return std::unique_ptr<FileSource>(
      new FileSource(fd, static_cast<std::uint64_t>(st.st_size), path.string()));
}

FileSource::~FileSource() {
  ::close(fd_);
}

Result<Bytes> FileSource::read_at(std::uint64_t offset, std::size_t count) const {
  if (offset > size_ || count > size_ - offset) return past_end(offset, count);
  Bytes out(count);
  std::size_t done = 0;
  while (done < count) {
    const ssize_t n =
        ::pread(fd_, out.data() + done, count - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", path_, errno);
    if (n == 0) return fail(ErrorCode::kIo, path_ + " shrank while being read");
    done += static_cast<std::size_t>(n);
  }
  return out;
}

Result<std::unique_ptr<AtomicFileSink>> AtomicFileSink::create(const fs::path& path) {
  if (auto ok = check_output_path(path); !ok) return tl::unexpected(ok.error());
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return io_error("cannot create a file in", dir.string(), errno);
  return std::unique_ptr<AtomicFileSink>(new AtomicFileSink(fd, path, std::move(temp)));
}

AtomicFileSink::~AtomicFileSink() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

Status AtomicFileSink::write(ByteView bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("cannot write", path_.string(), errno);
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Status AtomicFileSink::commit() {
  // mkstemp makes 0600 files; outputs are ordinary files, readable as the umask allows.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd_, 0666 & ~mask) != 0 || ::fsync(fd_) != 0)
    return io_error("cannot write", path_.string(), errno);
  if (::rename(temp_.c_str(), path_.c_str()) != 0)
    return io_error("cannot write", path_.string(), errno);
  committed_ = true;
  const fs::path dir = path_.has_parent_path() ? path_.parent_path() : fs::path(".");
  const int directory = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
  return {};
}

Status copy_range(const ByteSource& source, std::uint64_t offset, std::uint64_t count,
                  ByteSink& sink) {
  while (count > 0) {
    const auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(count, kCopyPiece));
    auto bytes = source.read_at(offset, piece);
    if (!bytes) return tl::unexpected(bytes.error());
    if (auto ok = sink.write(*bytes); !ok) return ok;
    offset += piece;
    count -= piece;
  }
  return {};
}

}  // namespace synthgate::media
