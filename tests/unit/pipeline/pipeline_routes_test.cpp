// The gateway's pipeline end to end over real HTTP, on SQLite and PostgreSQL: admission gates,
// output labelling for every modality, refusals, and the trace from a re-encoded image back to
// its user.
#include "server/pipeline_routes.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <opencv2/imgcodecs.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>
#include <tuple>

#include "core/file_io.hpp"
#include "media/animated_gif.hpp"
#include "media/animated_webp.hpp"
#include "metadata/implicit_label.hpp"
#include "moderation/character_tables.hpp"
#include "moderation/image_moderation.hpp"
#include "moderation/lexicon.hpp"
#include "pipeline/content_detector.hpp"
#include "pipeline/pipeline_records.hpp"
#include "server/classifier_hook.hpp"
#include "server/system_routes.hpp"
#include "support/animation_fixtures.hpp"
#include "support/natural_photos.hpp"
#include "support/server_harness.hpp"
#include "support/temp_dir.hpp"
#include "unit/identity/identity_fixture.hpp"

namespace synthgate::server {
namespace {

using nlohmann::json;

const char* kLexicon =
    "制作炸弹\tA.1.3\tblock\n"
    "赌博网站\tA.2.4\treview\n";

class PipelineRoutesTest : public identity::IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto migrated = store::migrate(store(), {{pipeline::pipeline_migrations()}}, clock_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    auto moderator = shared_moderator();
    ASSERT_TRUE(moderator) << moderator.error().message;
    lexicon_ = std::make_unique<moderation::ActiveLexicon>(*moderator);
    blocked_photo_ = photo(1, {512, 512});
    auto blocked_pdq = moderation::pdq_of_image(png_bytes(blocked_photo_));
    ASSERT_TRUE(blocked_pdq);
    blocklist_ = std::make_unique<moderation::ActiveBlocklist>(
        std::make_shared<const moderation::HashBlocklist>(
            std::vector<moderation::BlocklistEntry>{{blocked_pdq->hash, "known-bad"}}));
    records_ = std::make_unique<pipeline::PipelineRecords>(store());
    const pipeline::ModerationEngines engines{lexicon_.get(), blocklist_.get(), classifier_};
    admissions_ = std::make_unique<pipeline::AdmissionDesk>(*records_, *users_, *consents_, engines,
                                                            *audit_, clock_, ids_);
    pipeline::OutputOptions options;
    options.plan.producer = "SynthGate-test";
    options.workers = 2;
    outputs_ = std::make_unique<pipeline::OutputDesk>(
        *records_, engines, pipeline::LabelKeys{&watermark_key_, &metadata_key_}, *audit_, clock_,
        ids_, options);
    add_pipeline_routes(harness_.server(), *admissions_, *outputs_, *records_, *users_,
                        {std::size_t{64} << 20, spool_.path()});
    if (classifier_ != nullptr) add_system_routes(harness_.server(), store());  // /metrics
    harness_.start();
  }

  // The character tables and the Hyperscan databases take seconds to build: once per process.
  static const Result<std::shared_ptr<const moderation::TextModerator>>& shared_moderator() {
    static const auto built = []() -> Result<std::shared_ptr<const moderation::TextModerator>> {
      auto tables = moderation::load_character_tables({});
      if (!tables) return tl::unexpected(tables.error());
      auto lexicon = moderation::parse_lexicon(kLexicon, "test");
      if (!lexicon) return tl::unexpected(lexicon.error());
      return moderation::TextModerator::build(*tables, *lexicon, {});
    }();
    return built;
  }

  static cv::Mat photo(std::size_t index, cv::Size size) {
    const char* dir = std::getenv("SYNTHGATE_SHARED_TESTDATA");
    if (dir == nullptr) throw std::runtime_error("SYNTHGATE_SHARED_TESTDATA is not set");
    return testing::load_natural_photo(dir, testing::natural_photo_paths().at(index), size);
  }

  static Bytes png_bytes(const cv::Mat& image) {
    std::vector<std::uint8_t> out;
    cv::imencode(".png", image, out);
    return out;
  }

  std::string verified_user() {
    identity::Registration r;
    r.phone = "13800138000";
    auto user = users_->create(r);
    EXPECT_TRUE(user) << user.error().message;
    auto v = users_->start_verification(user->id, "sms_code", "test");
    EXPECT_TRUE(v) << v.error().message;
    auto done = users_->confirm(user->id, v->id, sender_.last_code(), "test");
    EXPECT_TRUE(done) << done.error().message;
    return user->id;
  }

  std::pair<int, json> admit(const json& body) {
    auto res = harness_.client().Post("/v1/admissions", body.dump(), "application/json");
    EXPECT_TRUE(res);
    if (!res) return {0, {}};
    return {res->status, json::parse(res->body, nullptr, false)};
  }

  std::string allowed_admission(const std::string& user, const std::string& modality) {
    auto [status, out] = admit({{"user_id", user},
                                {"service", "painter"},
                                {"modality", modality},
                                {"prompt", "一只猫在月光下"}});
    EXPECT_EQ(status, 200) << out.dump();
    EXPECT_EQ(out["decision"], "allow") << out.dump();
    return out.value("admission_id", "");
  }

  httplib::Result post_output(const std::string& admission, const Bytes& file,
                              const std::string& type) {
    httplib::MultipartFormDataItems items{
        {"admission_id", admission, "", ""},
        {"file", std::string(file.begin(), file.end()), "output", type}};
    return harness_.client().Post("/v1/outputs", items);
  }

  std::size_t count(const std::string& table) {
    auto rows = store().query("SELECT COUNT(*) FROM " + table);
    return rows ? static_cast<std::size_t>(rows->rows[0].integer(0).value()) : 0;
  }

  std::vector<std::string> reason_codes(const json& admission) {
    std::vector<std::string> out;
    for (const auto& r : admission["reasons"]) out.push_back(r["code"]);
    return out;
  }

  SecretBytes watermark_key_{std::vector<std::uint8_t>(32, 7)};
  Ed25519SigningKey metadata_key_ = Ed25519SigningKey::generate(random_);
  testing::TempDir spool_;
  std::unique_ptr<moderation::ActiveLexicon> lexicon_;
  std::unique_ptr<moderation::ActiveBlocklist> blocklist_;
  const pipeline::TextClassifier* classifier_ = nullptr;  // set by a derived fixture
  cv::Mat blocked_photo_;
  std::unique_ptr<pipeline::PipelineRecords> records_;
  std::unique_ptr<pipeline::AdmissionDesk> admissions_;
  std::unique_ptr<pipeline::OutputDesk> outputs_;
  testing::ServerHarness harness_;
};

TEST_P(PipelineRoutesTest, UnverifiedAndUnknownUsersAreBlocked) {
  identity::Registration r;
  r.phone = "13800138001";
  auto user = users_->create(r);
  ASSERT_TRUE(user);
  auto [status, out] =
      admit({{"user_id", user->id}, {"service", "chat"}, {"modality", "text"}, {"prompt", "你好"}});
  ASSERT_EQ(status, 200) << out.dump();
  EXPECT_EQ(out["decision"], "block");
  EXPECT_EQ(reason_codes(out), std::vector<std::string>{"user_not_verified"});
  auto [s2, unknown] =
      admit({{"user_id", "nobody"}, {"service", "chat"}, {"modality", "text"}, {"prompt", "你好"}});
  EXPECT_EQ(unknown["decision"], "block");
  EXPECT_EQ(reason_codes(unknown), std::vector<std::string>{"user_unknown"});
  // Both decisions are records and audit entries; neither admits an output.
  EXPECT_EQ(count("pipeline_admissions"), 2u);
  EXPECT_EQ(audit_count(audit::EventType::kAdmissionDecided), 2u);
  auto res = post_output(out["admission_id"], Bytes{'A', 'I'}, "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;
  EXPECT_EQ(count("content_records"), 0u);
}

TEST_P(PipelineRoutesTest, MissingConsentIsBlockedAndAGrantAdmits) {
  const std::string user = verified_user();
  auto subject = consents_->add_subject({"李四", std::nullopt, std::nullopt, "test"});
  ASSERT_TRUE(subject);
  const json body{{"user_id", user},
                  {"service", "face_swap"},
                  {"modality", "image"},
                  {"prompt", "换脸"},
                  {"persons", {{{"subject_id", subject->id}, {"modalities", {"face"}}}}}};
  auto [status, out] = admit(body);
  ASSERT_EQ(status, 200) << out.dump();
  EXPECT_EQ(out["decision"], "block");
  ASSERT_EQ(reason_codes(out), std::vector<std::string>{"consent_missing"});
  EXPECT_EQ(out["reasons"][0]["detail"]["subject_id"], subject->id);

  consent::Grant grant;
  grant.subject_id = subject->id;
  grant.modalities = {"face"};
  grant.purposes = {"face_swap_image"};
  grant.services = {"face_swap"};
  grant.users = {user};
  grant.valid_from = identity::kNow;
  grant.valid_until = identity::kNow + std::chrono::hours(24);
  grant.evidence_sha256 = std::string(64, 'a');
  auto granted = consents_->grant(grant);
  ASSERT_TRUE(granted) << granted.error().message;
  auto [s2, allowed] = admit(body);
  EXPECT_EQ(allowed["decision"], "allow") << allowed.dump();
  EXPECT_EQ(allowed["consent_ids"], json::array({granted->id}));
}

TEST_P(PipelineRoutesTest, BannedPromptsAndReferenceImagesAreBlocked) {
  const std::string user = verified_user();
  auto [status, out] = admit({{"user_id", user},
                              {"service", "chat"},
                              {"modality", "text"},
                              {"prompt", "教我制-作-炸-弹"}});
  ASSERT_EQ(status, 200);
  EXPECT_EQ(out["decision"], "block");
  ASSERT_EQ(reason_codes(out), std::vector<std::string>{"prompt_blocked"});
  EXPECT_EQ(out["reasons"][0]["detail"]["category"], "A.1.3");
  auto [s2, held] = admit(
      {{"user_id", user}, {"service", "chat"}, {"modality", "text"}, {"prompt", "推荐赌博网站"}});
  EXPECT_EQ(held["decision"], "review");

  // A reference image near a blocklisted one (here: mirrored) blocks a multipart admission.
  cv::Mat mirrored;
  cv::flip(blocked_photo_, mirrored, 1);
  const Bytes reference = png_bytes(mirrored);
  httplib::MultipartFormDataItems items{
      {"user_id", user, "", ""},
      {"service", "painter", "", ""},
      {"modality", "image", "", ""},
      {"prompt", "in this style", "", ""},
      {"reference", std::string(reference.begin(), reference.end()), "ref.png", "image/png"}};
  auto res = harness_.client().Post("/v1/admissions", items);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto multipart = json::parse(res->body);
  EXPECT_EQ(multipart["decision"], "block");
  EXPECT_EQ(reason_codes(multipart), std::vector<std::string>{"reference_image_blocked"});
}

TEST_P(PipelineRoutesTest, BadRequestsAreClearErrorsAndRecordNothing) {
  EXPECT_EQ(admit({{"service", "chat"}, {"modality", "text"}}).first, 400);
  EXPECT_EQ(admit({{"user_id", "u"}, {"service", "chat"}, {"modality", "hologram"}}).first, 400);
  EXPECT_EQ(admit({{"user_id", "u"},
                   {"service", "chat"},
                   {"modality", "image"},
                   {"persons", {{{"subject_id", "s"}, {"modalities", {"smell"}}}}}})
                .first,
            400);
  auto res = harness_.client().Post("/v1/admissions", "{not json", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(count("pipeline_admissions"), 0u);
  // An output needs an admission, as a form field or in the JSON.
  auto no_admission =
      harness_.client().Post("/v1/outputs", json{{"text", "x"}}.dump(), "application/json");
  ASSERT_TRUE(no_admission);
  EXPECT_EQ(no_admission->status, 400);
  auto unknown = harness_.client().Post(
      "/v1/outputs", json{{"admission_id", "nope"}, {"text", "x"}}.dump(), "application/json");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 422) << unknown->body;
}

TEST_P(PipelineRoutesTest, ImageOutputCarriesAllLabelsAndTracesAfterJpegReencode) {
  const std::string user = verified_user();
  const std::string admission = allowed_admission(user, "image");
  const Bytes png = png_bytes(photo(3, {1280, 720}));
  auto res = post_output(admission, png, "image/png");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "image/png");
  const std::string content_id = res->get_header_value("X-SynthGate-Content-Id");
  EXPECT_EQ(res->get_header_value("X-SynthGate-Labels"), "visible,watermark,metadata");
  const Bytes labelled(res->body.begin(), res->body.end());

  auto reading = metadata::read_label(labelled);
  ASSERT_TRUE(reading) << reading.error().message;
  ASSERT_TRUE(reading->record.has_value());
  EXPECT_EQ(reading->record->produce_id, content_id);
  EXPECT_EQ(reading->record->label, "1");
  EXPECT_FALSE(reading->record->reserved_code1.empty());

  // The detector (POST /v1/detections, synthgate detect) reads all of it back.
  testing::TempDir dir;
  ASSERT_TRUE(write_file_atomically(dir / "labelled.png", labelled));
  const Ed25519PublicKey public_key = metadata_key_.public_key();
  const pipeline::DetectionKeys detection_keys{&public_key, &watermark_key_};
  auto detected = pipeline::detect_file(dir / "labelled.png", detection_keys);
  ASSERT_TRUE(detected) << detected.error().message;
  EXPECT_EQ(detected->verdict, pipeline::Verdict::kConfirmed);
  EXPECT_EQ(detected->produce_id(), content_id);
  EXPECT_EQ(detected->watermark_payload_hex(),
            res->get_header_value("X-SynthGate-Watermark-Payload"));

  // A platform re-encodes it as JPEG quality 75: the metadata is gone, the watermark is not.
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", cv::imdecode(labelled, cv::IMREAD_COLOR), jpeg,
               {cv::IMWRITE_JPEG_QUALITY, 75});
  ASSERT_TRUE(write_file_atomically(dir / "reencoded.jpg", jpeg));
  auto reencoded = pipeline::detect_file(dir / "reencoded.jpg", detection_keys);
  ASSERT_TRUE(reencoded) << reencoded.error().message;
  EXPECT_EQ(reencoded->verdict, pipeline::Verdict::kSuspected);
  const std::string payload = res->get_header_value("X-SynthGate-Watermark-Payload");
  ASSERT_EQ(reencoded->watermark_payload_hex(), payload);

  auto trace = harness_.client().Get("/v1/contents?watermark_payload=" + payload);
  ASSERT_TRUE(trace);
  ASSERT_EQ(trace->status, 200) << trace->body;
  auto traced = json::parse(trace->body)["contents"];
  ASSERT_EQ(traced.size(), 1u);
  EXPECT_EQ(traced[0]["content"]["content_id"], content_id);
  EXPECT_EQ(traced[0]["admission"]["admission_id"], admission);
  EXPECT_EQ(traced[0]["user"]["id"], user);
  EXPECT_EQ(traced[0]["user"]["state"], "verified");
  auto by_id = harness_.client().Get("/v1/contents/" + content_id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->status, 200);
  EXPECT_EQ(audit_count(audit::EventType::kOutputLabelled), 1u);
}

TEST_P(PipelineRoutesTest, TextOutputIsLabelledAndBlockedTextNeverReturned) {
  const std::string user = verified_user();
  const std::string admission = allowed_admission(user, "text");
  auto res = harness_.client().Post(
      "/v1/outputs", json{{"admission_id", admission}, {"text", "月光下的猫安静地睡着。"}}.dump(),
      "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto out = json::parse(res->body);
  EXPECT_NE(out["text"].get<std::string>().find("人工智能"), std::string::npos);
  EXPECT_NE(out["text"].get<std::string>().find("月光下的猫"), std::string::npos);

  auto blocked = harness_.client().Post(
      "/v1/outputs", json{{"admission_id", admission}, {"text", "步骤：制作炸弹需要……"}}.dump(),
      "application/json");
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->status, 422);
  EXPECT_EQ(blocked->body.find("步骤"), std::string::npos);
  auto error = json::parse(blocked->body)["error"];
  EXPECT_EQ(error["code"], "output_blocked");
  EXPECT_EQ(count("content_records"), 1u);
  EXPECT_EQ(audit_count(audit::EventType::kModerationDecided), 1u);

  // An image handed in under a text admission is refused.
  auto wrong = post_output(admission, png_bytes(photo(2, {256, 256})), "image/png");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 422);
  EXPECT_NE(wrong->body.find("not image"), std::string::npos);
}

// Audio and video made by the ffmpeg CLI come back labelled in their own containers.
TEST_P(PipelineRoutesTest, AudioAndVideoOutputsAreLabelled) {
  const std::string user = verified_user();
  testing::TempDir dir;
  const auto make = [&](const std::string& args, const std::string& name) {
    const std::string command =
        "ffmpeg -loglevel error -y " + args + " '" + (dir / name).string() + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    auto bytes = read_file(dir / name);
    EXPECT_TRUE(bytes);
    return bytes ? *bytes : Bytes{};
  };
  const Bytes wav = make("-f lavfi -i sine=frequency=440:duration=2", "tone.wav");
  const Bytes mp4 = make(
      "-f lavfi -i testsrc=size=320x240:rate=25:duration=2 -f lavfi -i sine=duration=2 "
      "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -shortest",
      "clip.mp4");
  for (const auto& [modality, bytes, type] :
       {std::tuple{std::string("audio"), wav, std::string("audio/wav")},
        std::tuple{std::string("video"), mp4, std::string("video/mp4")}}) {
    const std::string admission = allowed_admission(user, modality);
    auto res = post_output(admission, bytes, type);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << modality << ": " << res->body;
    EXPECT_EQ(res->get_header_value("X-SynthGate-Labels"), "visible,metadata") << modality;
    EXPECT_EQ(res->get_header_value("Content-Type"), type);
    const auto labelled = dir / ("labelled-" + modality);
    ASSERT_TRUE(write_file_atomically(labelled, as_bytes(std::string_view(res->body))));
    auto reading = metadata::read_label_file(labelled);
    ASSERT_TRUE(reading) << reading.error().message;
    ASSERT_TRUE(reading->record.has_value()) << modality;
    EXPECT_EQ(reading->record->produce_id, res->get_header_value("X-SynthGate-Content-Id"));
    auto detected = pipeline::detect_file(labelled, {});
    ASSERT_TRUE(detected) << detected.error().message;
    EXPECT_EQ(detected->verdict, pipeline::Verdict::kConfirmed) << modality;
  }
  EXPECT_EQ(count("content_records"), 2u);
}

// Animated outputs take label_file's animation path: every frame labelled, the metadata label
// after; the blocklist check reads the first frame.
TEST_P(PipelineRoutesTest, AnimatedGifAndWebpOutputsAreLabelledOnEveryFrame) {
  const std::string user = verified_user();
  testing::TempDir dir;
  for (const auto& [bytes, type, name] :
       {std::tuple{testing::make_animated_gif(), std::string("image/gif"), std::string("a.gif")},
        std::tuple{testing::make_animated_webp(true), std::string("image/webp"),
                   std::string("a.webp")}}) {
    const std::string admission = allowed_admission(user, "image");
    auto res = post_output(admission, bytes, type);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << name << ": " << res->body;
    EXPECT_EQ(res->get_header_value("X-SynthGate-Labels"), "visible,metadata") << name;
    const auto labelled = dir / name;
    ASSERT_TRUE(write_file_atomically(labelled, as_bytes(std::string_view(res->body))));
    auto reading = metadata::read_label_file(labelled);
    ASSERT_TRUE(reading) << reading.error().message;
    ASSERT_TRUE(reading->record.has_value()) << name;
    EXPECT_EQ(reading->record->produce_id, res->get_header_value("X-SynthGate-Content-Id"));
    const ByteView out = as_bytes(std::string_view(res->body));
    auto frames = type == "image/gif" ? media::decode_gif_frames(out, {})
                                      : media::decode_webp_frames(out, {});
    ASSERT_TRUE(frames) << frames.error().message;
    EXPECT_EQ(frames->frames, 5) << name;
    EXPECT_EQ(frames->loop_count, testing::kAnimationLoops) << name;
  }
  EXPECT_EQ(count("content_records"), 2u);
}

TEST_P(PipelineRoutesTest, BlocklistedOutputImageIsRefused) {
  const std::string admission = allowed_admission(verified_user(), "image");
  auto res = post_output(admission, png_bytes(blocked_photo_), "image/png");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "output_blocked");
  EXPECT_EQ(count("content_records"), 0u);
}

// A video output that shows the blocklisted photo from its second second on is refused, and the
// reason says when.
TEST_P(PipelineRoutesTest, VideoOutputShowingABlocklistedImageIsRefusedWithItsTime) {
  const std::string admission = allowed_admission(verified_user(), "video");
  testing::TempDir dir;
  const auto still = dir / "still.png";
  ASSERT_TRUE(write_file_atomically(still, png_bytes(blocked_photo_)));
  const auto clip = dir / "clip.mp4";
  const std::string command =
      "ffmpeg -loglevel error -y -f lavfi -i testsrc=size=512x512:rate=25:duration=2 -loop 1 "
      "-framerate 25 -t 2 -i '" +
      still.string() +
      "' -filter_complex "
      "'[0:v]setsar=1[a];[1:v]setsar=1,format=yuv420p[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p' "
      "-c:v libx264 -preset ultrafast '" +
      clip.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  auto bytes = read_file(clip);
  ASSERT_TRUE(bytes);
  auto res = post_output(admission, *bytes, "video/mp4");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 422) << res->body;
  const auto body = json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], "output_blocked");
  ASSERT_EQ(body["error"]["reasons"].size(), 1u) << res->body;
  const auto& reason = body["error"]["reasons"][0];
  EXPECT_EQ(reason["code"], "output_blocked");
  EXPECT_EQ(reason["action"], "block");
  EXPECT_EQ(reason["detail"]["list_label"], "known-bad");
  const double seconds = std::stod(reason["detail"]["seconds"].get<std::string>());
  EXPECT_GE(seconds, 2.0);
  EXPECT_LT(seconds, 2.1);
  EXPECT_NE(reason["message"].get<std::string>().find(" at 2."), std::string::npos);
  EXPECT_EQ(count("content_records"), 0u);
}

TEST_P(PipelineRoutesTest, ExpiredAdmissionIsRefused) {
  const std::string admission = allowed_admission(verified_user(), "text");
  clock_.advance(std::chrono::hours(2));
  auto res = harness_.client().Post("/v1/outputs",
                                    json{{"admission_id", admission}, {"text", "late"}}.dump(),
                                    "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422);
  EXPECT_NE(res->body.find("expired"), std::string::npos);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(PipelineRoutesTest);

// The provider's classifier over real HTTP (a local fake): it flags texts holding 暴力 (score
// 0.95: block) or 可疑 (0.6: review), and answers texts holding 慢 too late.
class FakeClassifier {
 public:
  FakeClassifier() {
    server_.Post("/v1/classify", [](const httplib::Request& req, httplib::Response& res) {
      const auto text = json::parse(req.body).value("text", "");
      double score = 0.1;
      if (text.find("慢") != std::string::npos) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      } else if (text.find("暴力") != std::string::npos) {
        score = 0.95;
      } else if (text.find("可疑") != std::string::npos) {
        score = 0.6;
      }
      res.set_content(json{{"scores", {{"violence", score}}}}.dump(), "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeClassifier() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/classify"; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// Which of two hooks the desks consult: violence failing closed (block) or open.
class SwitchedClassifier final : public pipeline::TextClassifier {
 public:
  pipeline::ClassifierOutcome classify(std::string_view text,
                                       std::string_view stage) const override {
    return to->classify(text, stage);
  }
  const pipeline::TextClassifier* to = nullptr;
};

class ClassifierHookTest : public PipelineRoutesTest {
 protected:
  void SetUp() override {
    const auto hook = [&](moderation::Decision when_unavailable) {
      auto c = server::HttpClassifier::create({fake_.url(), std::chrono::milliseconds(300), ""},
                                              {{{"violence", 0.5, 0.9, when_unavailable},
                                                {"*", 0.5, 0.9, moderation::Decision::kPass}}},
                                              &harness_.server().metrics());
      EXPECT_TRUE(c) << c.error().message;
      return std::make_unique<server::ClassifierHook>(std::move(*c));
    };
    closed_ = hook(moderation::Decision::kBlock);
    open_ = hook(moderation::Decision::kPass);
    switched_.to = closed_.get();
    classifier_ = &switched_;
    PipelineRoutesTest::SetUp();
  }

  const json* reason(const json& reasons, const std::string& code) {
    for (const auto& r : reasons) {
      if (r["code"] == code) return &r;
    }
    return nullptr;
  }

  std::string metrics() {
    auto res = harness_.client().Get("/metrics");
    return res ? res->body : "";
  }

  FakeClassifier fake_;
  std::unique_ptr<server::ClassifierHook> closed_;
  std::unique_ptr<server::ClassifierHook> open_;
  SwitchedClassifier switched_;
};

TEST_P(ClassifierHookTest, PromptsTheClassifierFlagsAreBlockedOrReviewed) {
  const std::string user = verified_user();
  auto [status, blocked] = admit({{"user_id", user},
                                  {"service", "painter"},
                                  {"modality", "text"},
                                  {"prompt", "写一段暴力场面"}});
  ASSERT_EQ(status, 200) << blocked.dump();
  EXPECT_EQ(blocked["decision"], "block") << blocked.dump();
  const json* r = reason(blocked["reasons"], "prompt_blocked");
  ASSERT_NE(r, nullptr) << blocked.dump();
  EXPECT_EQ((*r)["detail"]["found_by"], "classifier");
  EXPECT_EQ((*r)["detail"]["category"], "violence");

  auto [status2, held] = admit({{"user_id", user},
                                {"service", "painter"},
                                {"modality", "text"},
                                {"prompt", "一个可疑的故事"}});
  ASSERT_EQ(status2, 200);
  EXPECT_EQ(held["decision"], "review") << held.dump();
  EXPECT_NE(reason(held["reasons"], "prompt_review"), nullptr) << held.dump();

  // An ordinary prompt passes, and every call's latency is in /metrics.
  EXPECT_FALSE(allowed_admission(user, "text").empty());
  EXPECT_NE(
      metrics().find(
          R"(synthgate_dependency_duration_seconds_count{dependency="classifier",outcome="ok"} 3)"),
      std::string::npos)
      << metrics();
}

TEST_P(ClassifierHookTest, ATimeoutFailsClosedOrOpenAsThePolicySays) {
  const std::string user = verified_user();
  const json slow{
      {"user_id", user}, {"service", "painter"}, {"modality", "text"}, {"prompt", "慢慢说"}};
  auto [status, closed] = admit(slow);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(closed["decision"], "block") << closed.dump();
  const json* r = reason(closed["reasons"], "classifier_unavailable");
  ASSERT_NE(r, nullptr) << closed.dump();
  EXPECT_EQ((*r)["action"], "block");
  EXPECT_NE((*r)["message"].get<std::string>().find("timeout"), std::string::npos);

  switched_.to = open_.get();
  auto [status2, open] = admit(slow);
  ASSERT_EQ(status2, 200);
  EXPECT_EQ(open["decision"], "allow") << open.dump();
  r = reason(open["reasons"], "classifier_unavailable");
  ASSERT_NE(r, nullptr) << open.dump();
  EXPECT_EQ((*r)["action"], "note");
  EXPECT_NE(metrics().find(R"(dependency="classifier",outcome="timeout")"), std::string::npos)
      << metrics();
}

TEST_P(ClassifierHookTest, TextOutputsTheClassifierFlagsAreRefused) {
  switched_.to = closed_.get();
  const std::string admission = allowed_admission(verified_user(), "text");
  auto res = harness_.client().Post(
      "/v1/outputs", json{{"admission_id", admission}, {"text", "这里是暴力内容"}}.dump(),
      "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 422) << res->body;
  const auto body = json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], "output_blocked");
  const json* r = reason(body["error"]["reasons"], "output_blocked");
  ASSERT_NE(r, nullptr) << res->body;
  EXPECT_EQ((*r)["detail"]["found_by"], "classifier");
  EXPECT_EQ(count("content_records"), 0u);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(ClassifierHookTest);

}  // namespace
}  // namespace synthgate::server
