#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>

#include "core/logging.hpp"
#include "core/result.hpp"
#include "server/complaint_routes.hpp"

namespace synthgate::server {

// Sends e-mail to a complainant. Production plugs in the provider's mail system.
class MailSender {
 public:
  virtual ~MailSender() = default;
  virtual Status send(std::string_view to, std::string_view subject, std::string_view body) = 0;
};

// The development sender: appends "TO<TAB>SUBJECT<TAB>BODY" lines to a file (mode 0600).
class FileMailSender final : public MailSender {
 public:
  explicit FileMailSender(std::filesystem::path path) : path_(std::move(path)) {}
  Status send(std::string_view to, std::string_view subject, std::string_view body) override;

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
};

// Tells a webhook (complaints.webhook_url: a JSON POST without personal data) and the
// complainant (when the contact is an e-mail address) of each intake and state change.
// Failures are logged: a notification never decides whether a complaint is accepted.
class ComplaintMessenger final : public ComplaintNotifier {
 public:
  ComplaintMessenger(std::string webhook_url, MailSender* mail, Logger log)
      : webhook_url_(std::move(webhook_url)), mail_(mail), log_(std::move(log)) {}
  void notify(const complaints::Complaint& complaint, std::string_view event) override;

 private:
  std::string webhook_url_;
  MailSender* mail_;
  Logger log_;
};

}  // namespace synthgate::server
