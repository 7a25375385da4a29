#pragma once

#include <openssl/crypto.h>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace synthgate {

// Key material. Wiped on destruction, and deliberately has no formatter or stream
// operator, so it cannot end up in a log line by accident.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {}
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    wipe();
    bytes_ = std::move(other.bytes_);
    return *this;
  }
  ~SecretBytes() { wipe(); }

  std::span<const std::uint8_t> view() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

 private:
  void wipe() {
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  }
  std::vector<std::uint8_t> bytes_;
};

}  // namespace synthgate
