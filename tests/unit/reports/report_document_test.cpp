// Reports rendered to HTML and PDF; the PDF is read back by poppler's pdftotext and rasterised by
// pdftoppm, independent readers of what cairo wrote.
#include "reports/report_document.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "core/file_io.hpp"
#include "support/command_output.hpp"

namespace synthgate::reports {
namespace {

namespace fs = std::filesystem;

using testing::command_output;

int page_count(const fs::path& pdf) {
  const std::string info = command_output("pdfinfo " + pdf.string());
  const auto at = info.find("Pages:");
  return at == std::string::npos ? 0 : std::stoi(info.substr(at + 6));
}

Bytes sample_png() {
  cv::Mat image(60, 200, CV_8UC3, cv::Scalar(40, 160, 220));
  std::vector<unsigned char> png;
  cv::imencode(".png", image, png);
  return Bytes(png.begin(), png.end());
}

ReportDocument sample_document(std::size_t rows) {
  ReportDocument d;
  d.title = "安全评估报告 Security self-assessment";
  d.subtitle = "深度合成服务 Deep synthesis service";
  d.header.entries = {{"组织 Organisation", "示例科技有限公司"}, {"版本 Version", "7"}};
  ReportSection facts{"1 用户 Users", {}};
  facts.blocks.push_back(
      ReportParagraph{"已实名验证的用户数如下。Verified users are counted below."});
  ReportTable table{{"指标 Metric", "数值 Value", "说明 Note"}, {}};
  for (std::size_t i = 0; i < rows; ++i) {
    table.rows.push_back({"metric-" + std::to_string(i), std::to_string(1000 + i),
                          "生成内容 generated content, row " + std::to_string(i)});
  }
  facts.blocks.emplace_back(std::in_place_type<ReportTable>, std::move(table));
  d.sections.push_back(facts);
  ReportSection samples{"2 标识样例 Label samples", {}};
  samples.blocks.emplace_back(ReportImage{sample_png(), "图像显式标识 Image label", 60});
  samples.blocks.emplace_back(ReportFields{{{"签署人 Signed by", "Li Lei"}}});
  d.sections.push_back(samples);
  d.footer = "SynthGate report";
  return d;
}

class PdfFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sg-reports-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const Bytes& pdf) {
    const fs::path path = dir_ / "report.pdf";
    EXPECT_TRUE(write_file_atomically(path, pdf));
    return path;
  }
  fs::path dir_;
};

TEST_F(PdfFiles, TextReadsBackInChineseAndEnglish) {
  auto pdf = render_pdf(sample_document(5));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const fs::path path = write(*pdf);
  const std::string text = command_output("pdftotext -enc UTF-8 " + path.string() + " -");
  for (const char* expected :
       {"安全评估报告", "Security self-assessment", "示例科技有限公司", "1 用户 Users", "metric-4",
        "1004", "图像显式标识", "签署人", "Li Lei", "SynthGate report", "1 / 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
  }
  EXPECT_EQ(page_count(path), 1);
}

TEST_F(PdfFiles, LongTablesRunOverPagesAndEveryFooterCountsThem) {
  auto pdf = render_pdf(sample_document(120));
  ASSERT_TRUE(pdf) << pdf.error().message;
  const fs::path path = write(*pdf);
  const std::string text = command_output("pdftotext -enc UTF-8 " + path.string() + " -");
  EXPECT_NE(text.find("metric-119"), std::string::npos);
  const int pages = page_count(path);
  EXPECT_GE(pages, 3);
  EXPECT_NE(text.find("2 / " + std::to_string(pages)), std::string::npos);
  // The header row is repeated on every page of the table.
  std::size_t headers = 0;
  for (auto p = text.find("指标 Metric"); p != std::string::npos;
       p = text.find("指标 Metric", p + 1)) {
    ++headers;
  }
  EXPECT_GE(headers, static_cast<std::size_t>(pages - 1));
  // poppler rasterises every page.
  command_output("pdftoppm -png -r 30 " + path.string() + " " + (dir_ / "page").string());
  std::size_t images = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().extension() == ".png" && fs::file_size(entry.path()) > 1000) ++images;
  }
  EXPECT_EQ(images, static_cast<std::size_t>(pages));
}

TEST(ReportPdf, RefusesAnImageThatIsNotAPng) {
  ReportDocument d = sample_document(1);
  d.sections[1].blocks[0] = ReportImage{Bytes{'n', 'o', 't'}, "broken sample", 40};
  auto pdf = render_pdf(d);
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(pdf.error().message.find("broken sample"), std::string::npos);
}

TEST(ReportHtml, EscapesEveryStringAndEmbedsImages) {
  ReportDocument d = sample_document(2);
  d.title = "<script>alert(1)</script>";
  d.sections[0].blocks.push_back(ReportParagraph{"a & b \"quoted\" 'single'"});
  const std::string html = render_html(d);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; b &quot;quoted&quot; &#39;single&#39;"), std::string::npos);
  EXPECT_NE(html.find("<th>指标 Metric</th>"), std::string::npos);
  EXPECT_NE(html.find("<td>metric-1</td>"), std::string::npos);
  EXPECT_NE(html.find("src=\"data:image/png;base64,iVBORw0KGgo"), std::string::npos);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
}

}  // namespace
}  // namespace synthgate::reports
