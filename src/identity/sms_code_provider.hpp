#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/secret_bytes.hpp"
#include "core/secure_random.hpp"
#include "identity/verification_provider.hpp"

namespace synthgate::identity {

// Sends a text message. Production senders call an SMS gateway; development writes a file.
class SmsSender {
 public:
  virtual ~SmsSender() = default;
  virtual Status send(std::string_view phone, std::string_view text) = 0;
};

// Appends "PHONE<TAB>TEXT" lines to a file (mode 0600): the development sender, so a
// developer can read the code a user would have received.
class FileSmsSender final : public SmsSender {
 public:
  explicit FileSmsSender(std::filesystem::path path) : path_(std::move(path)) {}
  Status send(std::string_view phone, std::string_view text) override;

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
};

// A six-digit one-time code sent by SMS. The stored state is a random salt and
// HMAC-SHA256(code key, salt ‖ code); the registry limits attempts, expiry and reuse.
// `code_key` is a server secret (serve derives it from the vault's key-encryption key).
class SmsCodeProvider final : public VerificationProvider {
 public:
  SmsCodeProvider(SmsSender& sender, RandomSource& random, SecretBytes code_key)
      : sender_(sender), random_(random), code_key_(std::move(code_key)) {}
  std::string_view method() const override { return "sms_code"; }
  bool needs_phone() const override { return true; }
  Result<Started> start(const Applicant& applicant) override;
  Result<Checked> check(const Applicant& applicant, std::string_view state,
                        std::string_view response) override;

 private:
  SmsSender& sender_;
  RandomSource& random_;
  SecretBytes code_key_;
};

}  // namespace synthgate::identity
