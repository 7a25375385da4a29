// POST /v1/detections and /v1/propagations over real HTTP (a loopback GatewayServer).
#include "server/detection_routes.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/secure_random.hpp"
#include "labels/text_label.hpp"
#include "metadata/implicit_label.hpp"
#include "support/detection_fixtures.hpp"
#include "support/server_harness.hpp"

namespace synthgate::server {
namespace {

using nlohmann::json;

constexpr const char* kPlatform = "001191440300708461136T2APP1";

class DetectionRoutesTest : public ::testing::Test {
 protected:
  void start(std::size_t max_upload = 32u << 20) {
    DetectionRoutesConfig config;
    config.max_upload_bytes = max_upload;
    config.propagator = kPlatform;
    add_detection_routes(harness_.server(), config, {&metadata_key_, &watermark_key_}, ids_);
    harness_.start();
  }
  httplib::Result upload(const std::string& path, const Bytes& file,
                         const std::vector<std::pair<std::string, std::string>>& fields = {}) {
    httplib::MultipartFormDataItems items = {
        {"file", std::string(as_chars(file)), "upload.bin", "image/png"}};
    for (const auto& [name, value] : fields) items.push_back({name, value, "", ""});
    auto client = harness_.client();
    return client.Post(path.c_str(), items);
  }

  testing::ServerHarness harness_;
  SystemClock clock_;
  SecureRandom random_;
  IdGenerator ids_{clock_, random_};
  Ed25519SigningKey metadata_key_ = testing::test_metadata_key();
  SecretBytes watermark_key_ = testing::test_watermark_key();
};

TEST_F(DetectionRoutesTest, DetectsALabelledImageAsConfirmedWithPublicFieldsOnly) {
  start();
  const Bytes file =
      testing::producer_labelled(testing::encode(testing::test_photo(), ".png"), metadata_key_);
  auto res = upload("/v1/detections", file);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const json body = json::parse(res->body);
  EXPECT_EQ(body["verdict"], "confirmed");
  EXPECT_EQ(body["metadata"]["aigc"]["ContentProducer"], testing::kTestProducer);
  EXPECT_EQ(body["metadata"]["signature"], "intact");
  EXPECT_FALSE(body["watermark"].contains("payload"));
}

TEST_F(DetectionRoutesTest, AWatermarkIsSuspectedAndADeclarationPossible) {
  start();
  auto marked = upload("/v1/detections", testing::watermarked_png(watermark_key_));
  ASSERT_TRUE(marked);
  ASSERT_EQ(marked->status, 200) << marked->body;
  EXPECT_EQ(json::parse(marked->body)["verdict"], "suspected");
  EXPECT_TRUE(json::parse(marked->body)["watermark"]["found"].get<bool>());

  const Bytes plain = testing::encode(testing::test_photo(), ".png");
  auto declared = upload("/v1/detections", plain, {{"declared_ai", "true"}});
  ASSERT_TRUE(declared);
  EXPECT_EQ(json::parse(declared->body)["verdict"], "possible");

  // A raw body works too, with fields in the query string.
  auto client = harness_.client();
  auto raw =
      client.Post("/v1/detections", std::string(as_chars(plain)), "application/octet-stream");
  ASSERT_TRUE(raw);
  ASSERT_EQ(raw->status, 200) << raw->body;
  EXPECT_EQ(json::parse(raw->body)["verdict"], "none");
  auto raw_declared = client.Post("/v1/detections?declared_ai=true", std::string(as_chars(plain)),
                                  "application/octet-stream");
  ASSERT_TRUE(raw_declared);
  EXPECT_EQ(json::parse(raw_declared->body)["verdict"], "possible");
}

TEST_F(DetectionRoutesTest, RefusesBadUploadsWithJsonErrors) {
  start(64 * 1024);
  auto client = harness_.client();
  auto empty = client.Post("/v1/detections", "", "application/octet-stream");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  EXPECT_EQ(json::parse(empty->body)["error"]["code"], "invalid_argument");

  auto unknown = client.Post("/v1/detections", std::string(3000, '\0'), "application/octet-stream");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 415);

  auto large = client.Post("/v1/detections", std::string(100 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 413);
  EXPECT_EQ(json::parse(large->body)["error"]["code"], "payload_too_large");

  auto bad_flag = upload("/v1/detections", Bytes{'h', 'i'}, {{"declared_ai", "maybe"}});
  ASSERT_TRUE(bad_flag);
  EXPECT_EQ(bad_flag->status, 400);
}

TEST_F(DetectionRoutesTest, PropagationReturnsTheFileCarryingThePlatformsFields) {
  start();
  const Bytes file =
      testing::producer_labelled(testing::encode(testing::test_photo(), ".png"), metadata_key_);
  auto res = upload("/v1/propagations", file, {{"propagate_id", "PROP-42"}});
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "image/png");
  EXPECT_EQ(res->get_header_value("X-SynthGate-Verdict"), "confirmed");
  EXPECT_EQ(res->get_header_value("X-SynthGate-Label"), "1");
  EXPECT_EQ(res->get_header_value("X-SynthGate-Propagate-Id"), "PROP-42");
  const auto record = metadata::read_label(as_bytes(res->body)).value().record.value();
  EXPECT_EQ(record.content_producer, testing::kTestProducer);
  EXPECT_EQ(record.content_propagator, kPlatform);  // the configured default
  EXPECT_EQ(record.propagate_id, "PROP-42");
  EXPECT_TRUE(record.reserved_code2.starts_with("sg2:"));

  // Without a label: declared -> 2, a new propagation id when none is given.
  auto declared = upload("/v1/propagations", testing::encode(testing::test_photo(), ".png"),
                         {{"declared_ai", "true"}, {"propagator", "PLATFORM-B"}});
  ASSERT_TRUE(declared);
  ASSERT_EQ(declared->status, 200) << declared->body;
  EXPECT_EQ(declared->get_header_value("X-SynthGate-Label"), "2");
  const auto second = metadata::read_label(as_bytes(declared->body)).value().record.value();
  EXPECT_EQ(second.content_propagator, "PLATFORM-B");
  EXPECT_EQ(second.propagate_id.size(), 26u);  // a content id

  // Nothing to propagate: 422.
  auto none = upload("/v1/propagations", testing::encode(testing::test_photo(), ".png"));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 422);
  EXPECT_EQ(json::parse(none->body)["error"]["code"], "failed_precondition");
}

}  // namespace
}  // namespace synthgate::server
