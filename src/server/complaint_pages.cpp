#include "server/complaint_pages.hpp"

#include <fmt/format.h>

#include "core/encoding.hpp"
#include "reports/report_document.hpp"

namespace synthgate::server {

namespace {

std::string escape(std::string_view s) {
  return escape_html(s);
}

std::string page(std::string_view title, const std::string& body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>{}</title><style>body{{font-family:sans-serif;max-width:44em;margin:2em auto;"
      "padding:0 1em}}label{{display:block;margin-top:1em}}table{{border-collapse:collapse}}"
      "td,th{{border:1px solid #999;padding:.3em .6em;text-align:left}}</style></head>"
      "<body><h1>{}</h1>{}<p><a href=\"/complaints\">投诉举报 Complaints</a> · "
      "<a href=\"/complaints/policy\">处理时限 Time limits</a> · "
      "<a href=\"/complaints/stats\">统计 Statistics</a></p></body></html>\n",
      escape(title), escape(title), body);
}

const char* category_title(std::string_view category) {
  if (category == "illegal_content") return "违法内容 Illegal content";
  if (category == "minors") return "危害未成年人 Harm to minors";
  if (category == "impersonation") return "冒用他人肖像或声音 Impersonation (face, voice)";
  if (category == "unlabelled_ai") return "未标识的合成内容 Unlabelled AI content";
  if (category == "privacy") return "个人信息 Personal data";
  if (category == "fraud") return "诈骗 Fraud";
  if (category == "intellectual_property") return "知识产权 Intellectual property";
  return "其他 Other";
}

std::string duration_text(std::int64_t ms) {
  const std::int64_t minutes = ms / 60000;
  if (minutes < 120) return std::to_string(minutes) + " min";
  if (minutes < 48 * 60) return fmt::format("{:.1f} h", static_cast<double>(minutes) / 60.0);
  return fmt::format("{:.1f} d", static_cast<double>(minutes) / (60.0 * 24.0));
}

}  // namespace

std::string complaint_form_page(std::size_t max_attachment_bytes) {
  std::string options;
  for (const auto& c : complaints::complaint_categories()) {
    options +=
        fmt::format("<option value=\"{}\">{}</option>", escape(c), escape(category_title(c)));
  }
  const std::string body = fmt::format(
      "<p>举报疑似违法或有害的深度合成内容（《深度合成管理规定》第十二条）。无需注册。"
      "Report suspected illegal or harmful synthetic content. No account needed.</p>"
      "<form method=\"post\" action=\"/v1/complaints\" enctype=\"multipart/form-data\">"
      "<label for=\"category\">类别 Category</label>"
      "<select id=\"category\" name=\"category\" required>{}</select>"
      "<label for=\"description\">描述 Description</label>"
      "<textarea id=\"description\" name=\"description\" rows=\"6\" cols=\"60\" maxlength=\"5000\" "
      "required></textarea>"
      "<label for=\"url\">网址 Where you saw it (URL, optional)</label>"
      "<input id=\"url\" name=\"url\" type=\"url\" size=\"60\">"
      "<label for=\"file\">文件 The file (image, video, audio or document, at most {} MB, "
      "optional)</label><input id=\"file\" name=\"file\" type=\"file\" "
      "accept=\"image/*,video/*,audio/*,.pdf,.docx,.xlsx,.pptx\">"
      "<label for=\"contact\">联系方式 Contact for our answer (optional)</label>"
      "<input id=\"contact\" name=\"contact\" size=\"40\" maxlength=\"200\">"
      "<input type=\"hidden\" name=\"answer\" value=\"html\">"
      "<p><button type=\"submit\">提交 Submit</button></p></form>",
      options, max_attachment_bytes >> 20);
  return page("投诉举报 Complaints and reports", body);
}

std::string complaint_received_page(const complaints::Complaint& c, bool merged) {
  const std::string body = fmt::format(
      "<p>已收到。Received.{}</p><p>查询码 Tracking code: <strong id=\"tracking-code\">{}</strong>"
      "</p><p>状态 Status: <a href=\"/v1/complaints/{}\">/v1/complaints/{}</a></p>",
      merged ? " 同一文件已有投诉，已合并。The same file was reported before; merged." : "",
      escape(c.tracking_code), escape(c.tracking_code), escape(c.tracking_code));
  return page("投诉已收到 Complaint received", body);
}

std::string complaint_refused_page(const std::string& message) {
  return page("未能提交 Not accepted", "<p id=\"error\">" + escape(message) +
                                           "</p><p><a href=\"/complaints\">返回 Back</a></p>");
}

std::string complaint_policy_page(const complaints::ComplaintLimits& limits) {
  std::string rows;
  for (const auto& c : complaints::complaint_categories()) {
    const auto& l = limits.limit_for(c);
    rows += fmt::format("<tr><td>{}</td><td>{} h</td><td>{} d</td></tr>", escape(category_title(c)),
                        l.acknowledge_hours, l.resolve_days);
  }
  const std::string body =
      "<p>每件投诉在下列时限内确认受理并处理完毕；超时的投诉自动升级。Every complaint is "
      "acknowledged and resolved within these limits from receipt; one past a limit is "
      "escalated.</p><table><tr><th>类别 Category</th><th>确认 Acknowledge within</th>"
      "<th>处理 Resolve within</th></tr>" +
      rows +
      "</table><p>处理结果：采取措施（下架、标识更正、暂停账号、向主管部门报告）或驳回；"
      "内容被处理的用户可以申诉。Outcomes: actioned (taken down, label corrected, account "
      "suspended, reported to the authorities) or rejected; the user whose content was "
      "actioned may appeal.</p>";
  return page("投诉处理时限 Complaint handling time limits", body);
}

std::string complaint_stats_page(const complaints::ComplaintStats& stats) {
  std::string rows;
  for (const auto& c : complaints::complaint_categories()) {
    auto it = stats.by_category.find(c);
    if (it == stats.by_category.end()) continue;
    const auto get = [&](const char* key) {
      auto found = it->second.find(key);
      return found == it->second.end() ? std::int64_t{0} : found->second;
    };
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        escape(category_title(c)), get("received"), get("actioned"),
                        get("rejected"), get("open"));
  }
  const std::string median =
      stats.median_handling_ms ? duration_text(*stats.median_handling_ms) : "—";
  const std::string body = fmt::format(
      "<p>投诉总数 Complaints received: <strong id=\"total\">{}</strong>. "
      "处理时间中位数 Median handling time: <strong id=\"median\">{}</strong></p>"
      "<table><tr><th>类别 Category</th><th>收到 Received</th><th>采取措施 Actioned</th>"
      "<th>驳回 Rejected</th><th>处理中 Open</th></tr>{}</table>",
      stats.total, median, rows);
  return page("投诉统计 Complaint statistics", body);
}

}  // namespace synthgate::server
