// Notifications of a complaint: the webhook gets the public status (never the contact), the
// complainant an e-mail through the sender (a file in development), and a dead webhook
// refuses nothing.
#include "server/complaint_notifier.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <future>
#include <mutex>
#include <thread>

#include "support/temp_dir.hpp"

namespace synthgate::server {
namespace {

complaints::Complaint sample(std::string contact) {
  complaints::Complaint c;
  c.id = "case-1";
  c.tracking_code = "CABCD-EFGH-JKMN";
  c.category = "fraud";
  c.contact = std::move(contact);
  c.received_ms = 1795838400000;
  return c;
}

TEST(ComplaintMessenger, PostsTheWebhookAndMailsTheComplainant) {
  httplib::Server hook;
  std::mutex mutex;
  std::vector<std::string> bodies;
  hook.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    bodies.push_back(req.body);
    res.status = 204;
  });
  const int port = hook.bind_to_any_port("127.0.0.1");
  auto serving = std::async(std::launch::async, [&] { hook.listen_after_bind(); });
  while (!hook.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  testing::TempDir dir;
  FileMailSender mail(dir / "mail.txt");
  ComplaintMessenger messenger("http://127.0.0.1:" + std::to_string(port) + "/hook", &mail,
                               make_logger("t", {"off", LogFormat::kText}));
  messenger.notify(sample("me@example.com"), "received");
  messenger.notify(sample("13900139000"), "acknowledged");  // not e-mail: no message
  hook.stop();
  serving.get();

  ASSERT_EQ(bodies.size(), 2u);
  const auto first = nlohmann::json::parse(bodies[0]);
  EXPECT_EQ(first["event"], "received");
  EXPECT_EQ(first["tracking_code"], "CABCD-EFGH-JKMN");
  EXPECT_EQ(bodies[0].find("example.com"), std::string::npos);
  EXPECT_EQ(bodies[1].find("13900139000"), std::string::npos);

  std::ifstream in(dir / "mail.txt");
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("me@example.com\tComplaint CABCD-EFGH-JKMN: received\t", 0), 0u);
}

TEST(ComplaintMessenger, ADeadWebhookStillLetsTheMailGo) {
  testing::TempDir dir;
  FileMailSender mail(dir / "mail.txt");
  ComplaintMessenger messenger("http://127.0.0.1:1/hook", &mail,
                               make_logger("t", {"off", LogFormat::kText}));
  messenger.notify(sample("me@example.com"), "received");
  std::ifstream in(dir / "mail.txt");
  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  EXPECT_NE(line.find("CABCD-EFGH-JKMN"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::server
