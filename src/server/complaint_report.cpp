#include "server/complaint_report.hpp"

namespace synthgate::server {

namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

reports::ReportFields fields_of(const json& object,
                                const std::vector<std::pair<const char*, const char*>>& keys) {
  reports::ReportFields out;
  for (const auto& [key, title] : keys) {
    const std::string value = text_of(object, key);
    if (!value.empty()) out.entries.emplace_back(title, value);
  }
  return out;
}

}  // namespace

reports::ReportDocument authorities_report(const json& package) {
  const json& c = package.at("complaint");
  reports::ReportDocument doc;
  doc.title = "投诉举报案件报告 Complaint case report";
  doc.subtitle = "《深度合成管理规定》第十二条 Deep Synthesis Provisions Art. 12";
  doc.header.entries = {{"案件 Case", text_of(c, "id")},
                        {"查询码 Tracking code", text_of(c, "tracking_code")},
                        {"编制时间 Prepared", text_of(package, "prepared_at")}};
  doc.footer = "SynthGate · " + text_of(c, "tracking_code");

  reports::ReportSection case_section{"1 案件 Case", {}};
  case_section.blocks.emplace_back(
      fields_of(c, {{"category", "类别 Category"},
                    {"state", "状态 State"},
                    {"outcome", "结果 Outcome"},
                    {"received_at", "收到 Received"},
                    {"acknowledged_at", "确认 Acknowledged"},
                    {"resolved_at", "处理 Resolved"},
                    {"closed_at", "结案 Closed"},
                    {"url", "网址 URL"},
                    {"attachment_sha256", "附件 Attachment SHA-256"}}));
  case_section.blocks.emplace_back(reports::ReportParagraph{text_of(c, "description")});
  doc.sections.push_back(std::move(case_section));

  reports::ReportTable events{
      {"时间 Time", "事件 Event", "状态 State", "经办 Actor", "说明 Text", "审计 Audit"}, {}};
  for (const auto& e : package.at("events")) {
    const std::string from = text_of(e, "from");
    const std::string to = text_of(e, "to");
    events.rows.push_back({text_of(e, "at"), text_of(e, "kind"),
                           from == to ? to : from + " → " + to, text_of(e, "actor"),
                           text_of(e, "text"), text_of(e, "audit_index")});
  }
  doc.sections.push_back({"2 处理经过 Events", {std::move(events)}});

  if (package.contains("content")) {
    doc.sections.push_back(
        {"3 内容记录 Content record",
         {fields_of(package.at("content"), {{"content_id", "内容 Content id"},
                                            {"admission_id", "准入 Admission"},
                                            {"user_id", "用户 User"},
                                            {"modality", "模态 Modality"},
                                            {"format", "格式 Format"},
                                            {"output_sha256", "SHA-256"},
                                            {"created_at", "生成 Created"},
                                            {"revoked_at", "下架 Taken down"},
                                            {"audit_index", "审计 Audit index"}})}});
  }

  const json& audit = package.at("audit");
  reports::ReportTable proofs{{"叶 Leaf", "树 Tree size", "叶哈希 Leaf hash", "根 Root"}, {}};
  for (const auto& p : audit.at("inclusion_proofs")) {
    proofs.rows.push_back({text_of(p, "leaf_index"), text_of(p, "tree_size"),
                           text_of(p, "leaf_hash"), text_of(p, "root")});
  }
  doc.sections.push_back(
      {"4 审计证明 Audit proofs",
       {reports::ReportParagraph{
            "每个事件都是防篡改审计日志（RFC 9162）中的一条记录；下列包含证明对应签名检查点。"
            "Every event is an entry of the tamper-evident audit log (RFC 9162); each inclusion "
            "proof below (paths in the JSON package) verifies against this signed checkpoint."},
        reports::ReportParagraph{text_of(audit, "checkpoint")}, std::move(proofs)}});
  return doc;
}

}  // namespace synthgate::server
