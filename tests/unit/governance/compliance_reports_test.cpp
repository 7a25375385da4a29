// The three documents rendered from records to PDF; poppler reads them back (pdftotext) and
// rasterises them (pdftoppm), independent of cairo.
#include "governance/compliance_reports.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cstdio>
#include <filesystem>

#include "core/file_io.hpp"
#include "identity/user_registry.hpp"
#include "pipeline/pipeline_records.hpp"
#include "support/command_output.hpp"
#include "support/temp_dir.hpp"
#include "unit/governance/governance_fixture.hpp"

namespace synthgate::governance {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using testing::command_output;

Bytes sample_png() {
  cv::Mat image(120, 200, CV_8UC3, cv::Scalar(200, 120, 40));
  cv::putText(image, "AI", {150, 110}, cv::FONT_HERSHEY_SIMPLEX, 0.8, {255, 255, 255}, 2);
  std::vector<std::uint8_t> png;
  cv::imencode(".png", image, png);
  return Bytes(png.begin(), png.end());
}

class ReportsTest : public GovernanceTest {
 protected:
  std::vector<store::MigrationSet> extra_migrations() override {
    return {identity::identity_migrations(), pipeline::pipeline_migrations()};
  }

  void SetUp() override {
    GovernanceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    for (const auto& [id, state] : std::vector<std::pair<std::string, std::string>>{
             {"u1", "verified"}, {"u2", "verified"}, {"u3", "verified"}, {"u4", "pending"}}) {
      ASSERT_TRUE(store().execute(
          "INSERT INTO identity_users (id, kind, state, created_ms, updated_ms) VALUES (?, "
          "'individual', ?, 0, 0)",
          {id, state}));
    }
    for (int i = 0; i < 7; ++i) {
      const std::string id = "a" + std::to_string(i);
      ASSERT_TRUE(store().execute(
          "INSERT INTO pipeline_admissions (id, user_id, service, modality, decision, reasons, "
          "prompt_sha256, consent_ids, actor, created_ms, expires_ms, audit_index) VALUES (?, ?, "
          "'svc', 'image', 'allow', '[]', '', '[]', 'k', ?, ?, 0)",
          {id, "u" + std::to_string(1 + i % 3), unix_millis(kNow - 1h), unix_millis(kNow)}));
      ASSERT_TRUE(store().execute(
          "INSERT INTO content_records (id, admission_id, user_id, service, modality, format, "
          "input_sha256, output_sha256, labels, created_ms, audit_index) VALUES (?, ?, 'u1', "
          "'svc', ?, 'png', '', '', '[]', 0, 0)",
          {"c" + std::to_string(i), id, std::string(i < 5 ? "image" : "text")}));
    }
    ASSERT_TRUE(records_->import_inventory(sample(), "importer"));
    ASSERT_TRUE(records_->assign_role(Role::kComplianceLead, "王力 Wang Li", "ceo"));
    ASSERT_TRUE(records_->assign_role(Role::kDataGovernanceOwner, "赵敏 Zhao Min", "ceo"));
    clock_.set(kNow + 2h);
    ASSERT_TRUE(records_->sign_off(1, "王力 Wang Li"));
    DatasetRegistry datasets(*records_);
    Dataset news;
    news.source = "公开新闻语料 Public news corpus";
    news.licence = "CC BY 4.0";
    news.pi_basis = "none";
    news.consent = "not applicable";
    news.collected_on = "2026-05-01";
    auto ds = datasets.add(news, "zhao");
    ASSERT_TRUE(ds) << ds.error().message;
    ASSERT_TRUE(datasets.record_check(ds->id, 4000, 240, "zhao"));  // 6%: unusable
    ASSERT_TRUE(audit_->publish_checkpoint());
    thresholds_.monthly_active_users = 3;
  }

  std::string pdf_text(ReportKind kind) {
    LabelSamples samples;
    samples.text = "人工智能生成 AI-generated\n示例回答 Sample answer";
    samples.image_png = sample_png();
    samples.image_caption = "图像标识样例 Image label sample";
    samples.audio = "短长短短 rhythm cue at the start";
    samples.video = "“AI生成” in the first 2 s of every video";
    samples.metadata = R"({"Label":"1","ContentProducer":"SynthGate-development"})";
    auto inputs = gather_report_inputs(*records_, std::nullopt, thresholds_,
                                       {"示例深度合成算法 Example synthesis algorithm",
                                        "生成合成类", "https://example.cn/complaints"},
                                       samples);
    EXPECT_TRUE(inputs) << inputs.error().message;
    if (!inputs) return "";
    auto pdf = reports::render_pdf(build_report(kind, *inputs));
    EXPECT_TRUE(pdf) << pdf.error().message;
    if (!pdf) return "";
    const fs::path path = dir_.path() / "report.pdf";
    EXPECT_TRUE(write_file_atomically(path, *pdf));
    const std::string text = command_output("pdftotext -enc UTF-8 " + path.string() + " -");
    command_output("pdftoppm -png -r 50 " + path.string() + " " + (dir_.path() / "page").string());
    std::size_t pages = 0;
    for (const auto& entry : fs::directory_iterator(dir_.path())) {
      if (entry.path().extension() == ".png" && fs::file_size(entry.path()) > 1000) ++pages;
    }
    EXPECT_GE(pages, 1u) << "pdftoppm made no page";
    html_ = reports::render_html(build_report(kind, *inputs));
    json_ = report_document_json(build_report(kind, *inputs));
    return text;
  }

  static void expect_all(const std::string& text, std::initializer_list<const char*> wanted) {
    for (const char* w : wanted) {
      EXPECT_NE(text.find(w), std::string::npos) << "\"" << w << "\" missing from:\n" << text;
    }
  }

  synthgate::testing::TempDir dir_;
  Thresholds thresholds_;
  std::string html_;
  nlohmann::json json_;
};

TEST_P(ReportsTest, ScopeAssessmentShowsEveryDecisionAndTheSignature) {
  const std::string text = pdf_text(ReportKind::kScope);
  expect_all(text,
             {"深度合成服务范围评估", "Deep synthesis scope assessment", "1 结论 Summary",
              "2 业务单元 Business units", "4 境外提供者 Overseas providers", "5 签署 Sign-off",
              "Items in scope: 6 / 8", "bu-internal", "f-avatar", "VoiceCloud Inc.",
              "Example (Shanghai) IT Co.", "王力 Wang Li", "2026-11-28T06:00:00.000Z"});
  EXPECT_NE(html_.find("王力 Wang Li"), std::string::npos);
  EXPECT_EQ(json_["sections"].size(), 5u);
}

TEST_P(ReportsTest, FilingDraftCarriesLabelSamplesAndFiguresFromTheRecords) {
  const std::string text = pdf_text(ReportKind::kFiling);
  expect_all(text, {"算法备案材料", "Algorithm filing draft", "示例深度合成算法",
                    "3 数据来源 Data sources", "公开新闻语料", "240 / 4000 flagged", "UNUSABLE",
                    "4 标识方法与样例", "人工智能生成 AI-generated", "图像标识样例", "短长短短",
                    "ContentProducer", "https://example.cn/complaints",
                    "3 / 4 users verified",  // identity_users
                    "7 labelled outputs",    // content_records
                    "示例（上海）信息技术有限公司", "sg-avatar-1"});
  // The image sample is in the document (PNG, shown in HTML as a data: URI).
  EXPECT_NE(html_.find("data:image/png;base64,"), std::string::npos);
}

TEST_P(ReportsTest, SelfAssessmentListsObligationsWithEvidence) {
  ComplianceTasks tasks(*records_);
  ASSERT_TRUE(tasks.raise_alerts(*gather_metrics(store(), clock_.now()), thresholds_));
  ASSERT_TRUE(tasks.schedule_log_completeness());
  const std::string text = pdf_text(ReportKind::kSelfAssessment);
  expect_all(text, {"安全自评估报告", "Security self-assessment",
                    "2 义务、控制与证据 Obligations, controls and evidence", "3 合规任务",
                    "Monthly active users", "OVERDUE", "2026-Q3", "no complaints table"});
  // Figures equal the records: 3 monthly users (threshold 3, reached), 5 image generations.
  const auto& rows = json_["sections"][0]["blocks"][0]["table"]["rows"];
  EXPECT_EQ(rows[3][1], "3");
  EXPECT_EQ(rows[3][2], "3");
  EXPECT_EQ(rows[5][0], "生成 Generations: image");
  EXPECT_EQ(rows[5][1], "5");
  auto checkpoint = audit_->latest_checkpoint();
  ASSERT_TRUE(checkpoint && *checkpoint);
  EXPECT_NE(text.find("checkpoint of " + std::to_string((*checkpoint)->tree_size) + " entries"),
            std::string::npos)
      << text;
}

SYNTHGATE_INSTANTIATE_BACKEND_TESTS(ReportsTest);

}  // namespace
}  // namespace synthgate::governance
