#include "server/complaint_notifier.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

#include "server/complaint_desk.hpp"

namespace synthgate::server {

namespace {

// "http://host:port/path" -> ("http://host:port", "/path").
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme_end = url.find("//");
  const auto path_start = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 2);
  if (path_start == std::string::npos) return {url, "/"};
  return {url.substr(0, path_start), url.substr(path_start)};
}

}  // namespace

Status FileMailSender::send(std::string_view to, std::string_view subject, std::string_view body) {
  std::lock_guard lock(mutex_);
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return fail(ErrorCode::kIo, path_.string() + ": " + std::strerror(errno));
  std::string line = std::string(to) + '\t' + std::string(subject) + '\t' + std::string(body);
  for (char& ch : line)
    if (ch == '\n') ch = ' ';
  line += '\n';
  const auto written = ::write(fd, line.data(), line.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size())) {
    return fail(ErrorCode::kIo, path_.string() + ": short write");
  }
  return {};
}

void ComplaintMessenger::notify(const complaints::Complaint& complaint, std::string_view event) {
  if (!webhook_url_.empty()) {
    nlohmann::json body = complaint_public_json(complaint);
    body["event"] = event;
    const auto [base, path] = split_url(webhook_url_);
    httplib::Client client(base);
    client.set_connection_timeout(5, 0);
    client.set_read_timeout(5, 0);
    auto res = client.Post(path, body.dump(), "application/json");
    if (!res || res->status >= 300) {
      log_->warn("complaint webhook {}: {}", event,
                 res ? "status " + std::to_string(res->status) : httplib::to_string(res.error()));
    }
  }
  // Only an address that looks like e-mail; the contact itself is never logged.
  if (mail_ != nullptr && complaint.contact.find('@') != std::string::npos) {
    const std::string subject = "Complaint " + complaint.tracking_code + ": " + std::string(event);
    const std::string text = "Your complaint " + complaint.tracking_code + " is now " +
                             std::string(complaints::state_name(complaint.state)) +
                             ". Status: /v1/complaints/" + complaint.tracking_code;
    if (auto sent = mail_->send(complaint.contact, subject, text); !sent) {
      log_->warn("complaint e-mail for {}: {}", complaint.tracking_code, sent.error().message);
    }
  }
}

}  // namespace synthgate::server
