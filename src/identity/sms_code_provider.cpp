#include "identity/sms_code_provider.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/digest.hpp"

namespace synthgate::identity {

namespace {

// Keyed: with a plain hash, anyone holding the database could try all 10^6 codes of a live
// verification offline; without the code key they cannot.
std::string code_digest(const SecretBytes& key, ByteView salt, std::string_view code) {
  Bytes input(salt.begin(), salt.end());
  input.insert(input.end(), code.begin(), code.end());
  return hex_encode(hmac_sha256(key, input));
}

}  // namespace

Status FileSmsSender::send(std::string_view phone, std::string_view text) {
  std::lock_guard lock(mutex_);
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kIo, path_.string() + ": " + std::strerror(errno));
  }
  std::string line(phone);
  line += '\t';
  line += text;
  line += '\n';
  const auto written = ::write(fd, line.data(), line.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size())) {
    return fail(ErrorCode::kIo, path_.string() + ": short write");
  }
  return {};
}

Result<Started> SmsCodeProvider::start(const Applicant& applicant) {
  if (!applicant.phone) {
    return fail(ErrorCode::kFailedPrecondition, "the user has no mobile number to send a code to");
  }
  // Six digits, without modulo bias: draw 32 bits and reject the top sliver.
  std::uint32_t n = 0;
  do {
    const auto bytes = random_.bytes(4);
    n = (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
        (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
  } while (n >= 4294000000u);
  std::string code = std::to_string(n % 1000000u);
  code.insert(0, 6 - code.size(), '0');
  const Bytes salt = random_.bytes(16);
  if (auto sent = sender_.send(*applicant.phone, "SynthGate verification code: " + code); !sent) {
    return tl::unexpected(with_context(sent.error(), "sending the code"));
  }
  Started out;
  out.state = hex_encode(salt) + ":" + code_digest(code_key_, salt, code);
  out.message = "a six-digit code was sent to the user's mobile number";
  return out;
}

Result<Checked> SmsCodeProvider::check(const Applicant&, std::string_view state,
                                       std::string_view response) {
  const auto colon = state.find(':');
  if (colon == std::string_view::npos) return fail(ErrorCode::kInternal, "malformed code state");
  auto salt = hex_decode(state.substr(0, colon));
  if (!salt) return fail(ErrorCode::kInternal, "malformed code state");
  const std::string digest = code_digest(code_key_, *salt, response);
  Checked out;
  out.passed = constant_time_equal(as_bytes(digest), as_bytes(state.substr(colon + 1)));
  out.message = out.passed ? "code accepted" : "wrong code";
  return out;
}

}  // namespace synthgate::identity
