#include "core/key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/encoding.hpp"

namespace synthgate {

namespace fs = std::filesystem;

namespace {
std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}
}  // namespace

Result<std::string> read_key_file(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                "key file " + path.string() + ": " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    return fail(ErrorCode::kInvalidArgument, "key file " + path.string() + " is not a file");
  }
  if ((st.st_mode & 077) != 0) {
    return fail(ErrorCode::kPermissionDenied,
                "key file " + path.string() + " is accessible to group or others (mode " +
                    octal_mode(st.st_mode) + "); run: chmod 600 " + path.string());
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return fail(ErrorCode::kIo, "key file " + path.string() + ": cannot be read");
  }
  return text.str();
}

Result<SecretBytes> read_symmetric_key_file(const fs::path& path, std::size_t expected_size) {
  auto text = read_key_file(path);
  if (!text) return tl::unexpected(text.error());
  auto bytes = hex_decode(trim(*text));
  if (!bytes || bytes->size() != expected_size) {
    return fail(ErrorCode::kInvalidArgument, "key file " + path.string() + ": expected " +
                                                 std::to_string(expected_size * 2) +
                                                 " hexadecimal digits");
  }
  return SecretBytes(std::move(*bytes));
}

Status write_new_key_file(const fs::path& path, std::string_view contents) {
  if (fs::exists(path)) {
    return fail(ErrorCode::kAlreadyExists, "key file " + path.string() + " already exists");
  }
  const fs::path temp = path.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kIo, "cannot create " + temp.string() + ": " + std::strerror(errno));
  }
  std::size_t written = 0;
  bool ok = true;
  while (ok && written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return fail(ErrorCode::kIo, "cannot write " + path.string() + ": " + std::strerror(err));
  }
  return {};
}

}  // namespace synthgate
