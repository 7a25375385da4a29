// The complaint channel end to end over real HTTP, on SQLite and PostgreSQL: a labelled file
// traced to its user, an anonymous complaint's tracking code and status, rate limits and bad
// attachments refused with nothing stored, escalation by a driven clock, and a takedown that
// blocks the same image at the next admission.
#include "server/complaint_routes.hpp"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>

#include "complaints/complaint_records.hpp"
#include "core/file_io.hpp"
#include "pipeline/admission_desk.hpp"
#include "pipeline/blocklist_hashes.hpp"
#include "pipeline/output_desk.hpp"
#include "server/pipeline_routes.hpp"
#include "support/natural_photos.hpp"
#include "support/server_harness.hpp"
#include "support/temp_dir.hpp"
#include "unit/identity/identity_fixture.hpp"

namespace synthgate::server {
namespace {

using nlohmann::json;

class ComplaintRoutesTest : public identity::IdentityTest {
 protected:
  void SetUp() override {
    IdentityTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto migrated =
        store::migrate(store(),
                       {{pipeline::pipeline_migrations(), pipeline::blocklist_migrations(),
                         complaints::complaint_migrations()}},
                       clock_);
    ASSERT_TRUE(migrated) << migrated.error().message;
    records_ = std::make_unique<pipeline::PipelineRecords>(store());
    blocklist_hashes_ = std::make_unique<pipeline::BlocklistHashes>(
        store(), active_blocklist_, std::vector<moderation::BlocklistEntry>{});
    ASSERT_TRUE(blocklist_hashes_->refresh());
    const pipeline::ModerationEngines engines{nullptr, &active_blocklist_};
    admissions_ = std::make_unique<pipeline::AdmissionDesk>(*records_, *users_, *consents_, engines,
                                                            *audit_, clock_, ids_);
    pipeline::OutputOptions options;
    options.plan.producer = "SynthGate-test";
    options.workers = 1;
    outputs_ = std::make_unique<pipeline::OutputDesk>(
        *records_, engines, pipeline::LabelKeys{&watermark_key_, &metadata_key_}, *audit_, clock_,
        ids_, options);
    complaints_ = std::make_unique<complaints::ComplaintRecords>(store(), *audit_, *vault_, clock_,
                                                                 ids_, secure_);
    desk_ = std::make_unique<ComplaintDesk>(*complaints_, *records_, *blocklist_hashes_, *users_,
                                            *audit_, clock_);
    config_.attachments_dir = attachments_.path() / "attachments";
    config_.per_address_per_hour = 1000;
    add_pipeline_routes(harness_.server(), *admissions_, *outputs_, *records_, *users_,
                        {std::size_t{64} << 20, spool_.path()});
    add_complaint_routes(harness_.server(), context(), config_);
    harness_.start();
  }

  ComplaintRoutesContext context() {
    return {*complaints_, *desk_,         *records_,       limits_,
            clock_,       &metadata_key_, &watermark_key_, nullptr};
  }

  static cv::Mat photo(std::size_t index, cv::Size size) {
    const char* dir = std::getenv("SYNTHGATE_SHARED_TESTDATA");
    if (dir == nullptr) throw std::runtime_error("SYNTHGATE_SHARED_TESTDATA is not set");
    return testing::load_natural_photo(dir, testing::natural_photo_paths().at(index), size);
  }

  static std::string png(const cv::Mat& image) {
    std::vector<std::uint8_t> out;
    cv::imencode(".png", image, out);
    return std::string(out.begin(), out.end());
  }

  std::string verified_user() {
    identity::Registration r;
    r.phone = "13800138000";
    auto user = users_->create(r);
    EXPECT_TRUE(user) << user.error().message;
    auto v = users_->start_verification(user->id, "sms_code", "test");
    EXPECT_TRUE(v);
    EXPECT_TRUE(users_->confirm(user->id, v->id, sender_.last_code(), "test"));
    return user->id;
  }

  // An image admitted and labelled for `user`: the file as the provider returned it.
  std::string labelled_image(const std::string& user, std::string* content_id = nullptr,
                             std::size_t photo_index = 3) {
    auto admitted = harness_.client().Post(
        "/v1/admissions",
        json{{"user_id", user}, {"service", "painter"}, {"modality", "image"}, {"prompt", "a cat"}}
            .dump(),
        "application/json");
    EXPECT_TRUE(admitted && admitted->status == 200);
    const std::string admission = json::parse(admitted->body)["admission_id"];
    httplib::MultipartFormDataItems items{
        {"admission_id", admission, "", ""},
        {"file", png(photo(photo_index, {512, 512})), "o.png", "image/png"}};
    auto res = harness_.client().Post("/v1/outputs", items);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "");
    if (content_id) *content_id = res->get_header_value("X-SynthGate-Content-Id");
    return res->body;
  }

  httplib::Result complain(httplib::Client client, const std::string& category,
                           const std::optional<std::string>& file = {},
                           const std::string& name = "evidence.png") {
    httplib::MultipartFormDataItems items{{"category", category, "", ""},
                                          {"description", "这是我的脸，我没有同意", "", ""},
                                          {"contact", "13900139000", "", ""}};
    if (file) items.push_back({"file", *file, name, "application/octet-stream"});
    return client.Post("/v1/complaints", items);
  }

  std::int64_t count(const std::string& table) {
    auto rows = store().query("SELECT COUNT(*) FROM " + table);
    return rows ? rows->rows[0].integer(0).value() : -1;
  }

  std::size_t stored_attachments() {
    std::error_code ec;
    if (!std::filesystem::exists(config_.attachments_dir, ec)) return 0;
    return static_cast<std::size_t>(
        std::distance(std::filesystem::directory_iterator(config_.attachments_dir), {}));
  }

  json staff_get(const std::string& path) {
    auto res = harness_.client().Get(path);
    EXPECT_TRUE(res && res->status == 200) << (res ? res->body : "");
    return res ? json::parse(res->body) : json{};
  }

  std::pair<int, json> staff_post(const std::string& path, const json& body) {
    auto res = harness_.client().Post(path, body.dump(), "application/json");
    EXPECT_TRUE(res);
    return {res ? res->status : 0, res ? json::parse(res->body, nullptr, false) : json{}};
  }

  SecretBytes watermark_key_{std::vector<std::uint8_t>(32, 7)};
  Ed25519SigningKey metadata_key_ = Ed25519SigningKey::generate(random_);
  testing::TempDir spool_;
  testing::TempDir attachments_;
  moderation::ActiveBlocklist active_blocklist_;
  std::unique_ptr<pipeline::BlocklistHashes> blocklist_hashes_;
  std::unique_ptr<pipeline::PipelineRecords> records_;
  std::unique_ptr<pipeline::AdmissionDesk> admissions_;
  std::unique_ptr<pipeline::OutputDesk> outputs_;
  std::unique_ptr<complaints::ComplaintRecords> complaints_;
  std::unique_ptr<ComplaintDesk> desk_;
  ComplaintsConfig config_;
  complaints::ComplaintLimits limits_{ComplaintsConfig{}.limits};
  testing::ServerHarness harness_;
};

TEST_P(ComplaintRoutesTest, ALabelledFileIsTracedToItsUser) {
  const std::string user = verified_user();
  std::string content_id;
  const std::string file = labelled_image(user, &content_id);
  auto res = complain(harness_.client(), "impersonation", file);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const auto out = json::parse(res->body);
  EXPECT_EQ(out["state"], "received");
  EXPECT_FALSE(out.contains("traced"));  // the public never learns whom it traced to
  EXPECT_FALSE(out.contains("contact"));

  auto list = staff_get("/v1/complaints");
  ASSERT_EQ(list["complaints"].size(), 1u);
  const auto listed = list["complaints"][0];
  EXPECT_EQ(listed["traced"]["user_id"], user);
  EXPECT_EQ(listed["traced"]["content_id"], content_id);
  EXPECT_EQ(listed["attachment"]["type"], "png");
  // The list says only that there is a contact; the case opens it (an audited read).
  EXPECT_EQ(listed["has_contact"], true);
  EXPECT_FALSE(listed.contains("contact"));
  auto one = staff_get("/v1/complaints/cases/" + listed["id"].get<std::string>());
  EXPECT_EQ(one["contact"], "13900139000");
  EXPECT_EQ(one["events"][0]["kind"], "received");
  EXPECT_EQ(stored_attachments(), 1u);

  // The same file again is merged into the first case.
  auto again = complain(harness_.client(), "impersonation", file);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 201);
  EXPECT_EQ(json::parse(again->body)["merged"], true);
  EXPECT_EQ(json::parse(again->body)["tracking_code"], out["tracking_code"]);
  EXPECT_EQ(count("complaints"), 1);
}

TEST_P(ComplaintRoutesTest, AComplaintWithoutAnAccountGetsATrackingCodeAndAStatus) {
  auto res = complain(harness_.client(), "unlabelled_ai");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const std::string code = json::parse(res->body)["tracking_code"];
  auto status = harness_.client().Get("/v1/complaints/" + code);
  ASSERT_TRUE(status);
  ASSERT_EQ(status->status, 200);
  auto s = json::parse(status->body);
  EXPECT_EQ(s["state"], "received");
  EXPECT_EQ(s["category"], "unlabelled_ai");
  EXPECT_FALSE(s.contains("description"));

  // Staff move it on; the public status follows.
  const std::string id = staff_get("/v1/complaints")["complaints"][0]["id"];
  EXPECT_EQ(
      staff_post("/v1/complaints/cases/" + id + "/transition", {{"to", "acknowledged"}}).first,
      200);
  auto skip = staff_post("/v1/complaints/cases/" + id + "/transition", {{"to", "closed"}});
  EXPECT_EQ(skip.first, 422) << skip.second.dump();
  s = json::parse(harness_.client().Get("/v1/complaints/" + code)->body);
  EXPECT_EQ(s["state"], "acknowledged");
  EXPECT_EQ(harness_.client().Get("/v1/complaints/C0000-0000-0000")->status, 404);

  // An HTML form submission gets an HTML page with the code.
  httplib::MultipartFormDataItems items{
      {"category", "other", "", ""}, {"description", "x", "", ""}, {"answer", "html", "", ""}};
  auto page = harness_.client().Post("/v1/complaints", items);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 201);
  EXPECT_NE(page->body.find("id=\"tracking-code\">C"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
}

TEST_P(ComplaintRoutesTest, RateLimitsAndBadAttachmentsAreClear4xxAndStoreNothing) {
  // Not an accepted type: text, and bytes of no known type.
  auto text = complain(harness_.client(), "other", std::string("just some words\n"), "a.png");
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 415) << text->body;
  EXPECT_EQ(json::parse(text->body)["error"]["code"], "unsupported_media_type");
  auto junk = complain(harness_.client(), "other", std::string("\x01\x02\x03\x04garbage", 11));
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->status, 415) << junk->body;
  // Missing or unknown fields.
  auto bad = complain(harness_.client(), "spam");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("unknown category"), std::string::npos);
  EXPECT_EQ(count("complaints"), 0);
  EXPECT_EQ(stored_attachments(), 0u);

  // A second gateway with tight limits: two an hour from one address, 2 KiB attachments.
  ComplaintsConfig tight = config_;
  tight.per_address_per_hour = 2;
  tight.max_attachment_bytes = 2048;
  testing::ServerHarness limited;
  add_complaint_routes(limited.server(), context(), tight);
  limited.start();
  // Over the attachment limit but inside the route's body limit: refused by the intake.
  const std::string small_photo = png(photo(1, {48, 48}));
  ASSERT_GT(small_photo.size(), 2048u);
  auto big = complain(limited.client(), "other", small_photo);
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413) << big->body;
  EXPECT_EQ(complain(limited.client(), "other")->status, 201);
  auto over = complain(limited.client(), "other");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 429) << over->body;
  EXPECT_EQ(json::parse(over->body)["error"]["code"], "resource_exhausted");
  EXPECT_FALSE(over->get_header_value("Retry-After").empty());
  EXPECT_EQ(count("complaints"), 1);
  EXPECT_EQ(stored_attachments(), 0u);
  // An hour later the address may complain again.
  clock_.advance(std::chrono::hours(1));
  EXPECT_EQ(complain(limited.client(), "other")->status, 201);
  EXPECT_TRUE(limited.stop());
}

TEST_P(ComplaintRoutesTest, ABreachedTimeLimitEscalatesAndShowsOnTheStaffList) {
  ASSERT_EQ(complain(harness_.client(), "illegal_content")->status, 201);  // 2 h to acknowledge
  ASSERT_EQ(complain(harness_.client(), "other")->status, 201);            // 48 h
  EXPECT_TRUE(staff_get("/v1/complaints?overdue=true")["complaints"].empty());
  clock_.advance(std::chrono::hours(3));
  auto swept = complaints_->escalate_overdue(limits_);
  ASSERT_TRUE(swept);
  ASSERT_EQ(swept->size(), 1u);
  auto overdue = staff_get("/v1/complaints?overdue=true")["complaints"];
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0]["category"], "illegal_content");
  EXPECT_EQ(overdue[0]["overdue"], true);
  EXPECT_EQ(overdue[0]["breached_limit"], "acknowledge");
  EXPECT_TRUE(overdue[0].contains("escalated_at"));
  auto events = staff_get("/v1/complaints/cases/" + overdue[0]["id"].get<std::string>())["events"];
  EXPECT_EQ(events.back()["kind"], "escalation");
  EXPECT_EQ(audit_count(audit::EventType::kComplaintAction), 3u);
}

TEST_P(ComplaintRoutesTest, ATakedownBlocksTheSameImageAtTheNextAdmission) {
  const std::string user = verified_user();
  std::string content_id;
  const std::string file = labelled_image(user, &content_id, 1);
  ASSERT_EQ(complain(harness_.client(), "impersonation", file)->status, 201);
  const std::string id = staff_get("/v1/complaints")["complaints"][0]["id"];
  const std::string base = "/v1/complaints/cases/" + id;
  // Before: the image may be used as a reference.
  const auto admit_with_reference = [&] {
    httplib::MultipartFormDataItems items{{"user_id", user, "", ""},
                                          {"service", "painter", "", ""},
                                          {"modality", "image", "", ""},
                                          {"prompt", "in this style", "", ""},
                                          {"reference", file, "ref.png", "image/png"}};
    auto res = harness_.client().Post("/v1/admissions", items);
    EXPECT_TRUE(res && res->status == 200);
    return json::parse(res->body);
  };
  EXPECT_EQ(admit_with_reference()["decision"], "allow");

  ASSERT_EQ(staff_post(base + "/transition", {{"to", "acknowledged"}}).first, 200);
  ASSERT_EQ(staff_post(base + "/transition", {{"to", "under_review"}}).first, 200);
  auto [status, event] = staff_post(
      base + "/actions", {{"action", "takedown"}, {"reason", "face used without consent"}});
  ASSERT_EQ(status, 201) << event.dump();
  EXPECT_EQ(event["details"]["content"], content_id);
  auto content = staff_get("/v1/contents/" + content_id);
  EXPECT_EQ(content["content"]["revoked"], true);

  const auto after = admit_with_reference();
  EXPECT_EQ(after["decision"], "block") << after.dump();
  bool blocked_by_takedown = false;
  for (const auto& r : after["reasons"]) {
    blocked_by_takedown = blocked_by_takedown ||
                          (r["code"] == "reference_image_blocked" &&
                           r["detail"]["list_label"].get<std::string>().find("complaint C") == 0);
  }
  EXPECT_TRUE(blocked_by_takedown) << after.dump();
  // Taken down once: a second takedown is refused.
  EXPECT_EQ(staff_post(base + "/actions", {{"action", "takedown"}}).first, 422);

  auto [s2, suspended] = staff_post(base + "/actions", {{"action", "suspend_user"}});
  ASSERT_EQ(s2, 201) << suspended.dump();
  auto u = users_->get(user);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->state, identity::UserState::kSuspended);

  auto [s3, package] = staff_post(base + "/actions", {{"action", "report_to_authorities"}});
  ASSERT_EQ(s3, 200) << package.dump();
  EXPECT_EQ(package["content"]["content_id"], content_id);
  EXPECT_GE(package["audit"]["inclusion_proofs"].size(), package["events"].size());
  EXPECT_NE(package["audit"]["checkpoint"].get<std::string>().find("synthgate"), std::string::npos);

  // The same package as a PDF (reports::render_pdf): pdftotext reads the case back.
  auto pdf = harness_.client().Post(
      base + "/actions", json{{"action", "report_to_authorities"}, {"format", "pdf"}}.dump(),
      "application/json");
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  testing::TempDir dir;
  ASSERT_TRUE(write_file_atomically(dir / "case.pdf", as_bytes(std::string_view(pdf->body))));
  const std::string command = "pdftotext -enc UTF-8 '" + (dir / "case.pdf").string() + "' '" +
                              (dir / "case.txt").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  auto text = read_file(dir / "case.txt");
  ASSERT_TRUE(text);
  const std::string printed(as_chars(*text));
  EXPECT_NE(printed.find(package["complaint"]["tracking_code"].get<std::string>()),
            std::string::npos);
  EXPECT_NE(printed.find(content_id), std::string::npos);
  EXPECT_NE(printed.find("Audit proofs"), std::string::npos);
}

TEST_P(ComplaintRoutesTest, PublicPagesAreHtmlWithoutScripts) {
  for (const char* path : {"/complaints", "/complaints/policy", "/complaints/stats"}) {
    auto res = harness_.client().Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->body.find("<script"), std::string::npos) << path;
  }
  EXPECT_NE(harness_.client().Get("/complaints")->body.find("enctype=\"multipart/form-data\""),
            std::string::npos);
  EXPECT_NE(harness_.client().Get("/complaints/policy")->body.find("<td>2 h</td><td>3 d</td>"),
            std::string::npos);
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(ComplaintRoutesTest);

}  // namespace
}  // namespace synthgate::server
