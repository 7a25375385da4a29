#include "core/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/digest.hpp"

namespace synthgate {

namespace fs = std::filesystem;

namespace {
tl::unexpected<Error> io_error(const std::string& what, const fs::path& path, int err) {
  return fail(ErrorCode::kIo, what + " " + path.string() + ": " + std::strerror(err));
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

Result<Bytes> read_file(const fs::path& path, std::size_t max_bytes) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                "cannot read " + path.string() + ": " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) return io_error("cannot read", path, errno);
  if (!S_ISREG(st.st_mode))
    return fail(ErrorCode::kInvalidArgument, path.string() + " is not a file");
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    return fail(ErrorCode::kPayloadTooLarge,
                path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  Bytes out(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::read(file.fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", path, errno);
    if (n == 0) break;  // the file shrank while being read
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

Result<std::string> sha256_of_file(const fs::path& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) return io_error("cannot read", path, errno);
  Sha256Hasher hasher;
  std::vector<std::uint8_t> buffer(std::size_t{1} << 20);
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", path, errno);
    if (n == 0) break;
    hasher.update(ByteView(buffer.data(), static_cast<std::size_t>(n)));
  }
  return hex_encode(hasher.finish());
}

Status check_output_path(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (ec || !fs::exists(status)) return {};
  if (fs::is_regular_file(status)) return {};
  // A symbolic link is replaced by the rename, not followed: allowed, as for any editor.
  if (fs::is_symlink(status)) return {};
  return fail(ErrorCode::kInvalidArgument,
              path.string() + " exists and is not a regular file; give a file path for the output");
}

Status write_file_atomically(const fs::path& path, ByteView bytes) {
  if (auto ok = check_output_path(path); !ok) return ok;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  Fd file{::mkstemp(temp.data())};
  if (file.fd < 0) return io_error("cannot create a file in", dir, errno);
  auto abandon = [&](int err) {
    ::unlink(temp.c_str());
    return io_error("cannot write", path, err);
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(file.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return abandon(errno);
    done += static_cast<std::size_t>(n);
  }
  // mkstemp makes 0600 files; outputs are ordinary files, readable as the umask allows.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(file.fd, 0666 & ~mask) != 0 || ::fsync(file.fd) != 0) return abandon(errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) return abandon(errno);
  Fd directory{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (directory.fd >= 0) ::fsync(directory.fd);
  return {};
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

}  // namespace synthgate
