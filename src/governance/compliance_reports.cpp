#include "governance/compliance_reports.hpp"

#include <algorithm>
#include <cstdio>

#include "audit/time_text.hpp"
#include "core/encoding.hpp"

namespace synthgate::governance {

namespace {

using reports::ReportDocument;
using reports::ReportFields;
using reports::ReportImage;
using reports::ReportParagraph;
using reports::ReportSection;
using reports::ReportTable;

std::string when(std::int64_t ms) {
  return audit::format_time(TimePoint(std::chrono::milliseconds(ms)));
}

std::string yes_no(bool b) {
  return b ? "是 Yes" : "否 No";
}

std::string lines(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string modalities_of(const Questionnaire& q) {
  std::vector<std::string> m;
  if (q.text) m.emplace_back("text");
  if (q.image) m.emplace_back("image");
  if (q.audio) m.emplace_back("audio");
  if (q.video) m.emplace_back("video");
  if (q.virtual_persons) m.emplace_back("virtual persons");
  return lines(m);
}

ReportFields header_fields(const ReportInputs& in) {
  ReportFields f;
  f.entries = {{"组织 Organisation", in.inventory.inventory.organisation},
               {"清单版本 Inventory version", std::to_string(in.inventory.version)},
               {"清单摘要 Inventory SHA-256", in.inventory.sha256},
               {"生成时间 Generated", audit::format_time(in.generated)},
               {"合规负责人 Compliance lead", in.lead ? in.lead->person : "未指定 not designated"},
               {"数据治理负责人 Data-governance owner",
                in.owner ? in.owner->person : "未指定 not designated"}};
  return f;
}

ReportSection overseas_section(const std::string& heading, const ReportInputs& in) {
  ReportTable t{
      {"接口 API", "提供者 Provider", "境外 Overseas", "境内代表 Domestic representative"}, {}};
  for (const auto& a : in.inventory.inventory.third_party_apis) {
    t.rows.push_back({a.id + " " + a.name, a.answers.provider, yes_no(a.overseas),
                      a.overseas ? (a.domestic_representative.empty()
                                        ? "缺失 MISSING: designate one before filing"
                                        : a.domestic_representative)
                                 : "不适用 not applicable"});
  }
  ReportSection s{heading, {}};
  if (t.rows.empty()) {
    s.blocks.emplace_back(ReportParagraph{"无第三方接口 No third-party APIs."});
  } else {
    s.blocks.emplace_back(std::move(t));
  }
  return s;
}

ReportTable metrics_table(const ReportInputs& in) {
  const auto& m = in.metrics;
  const auto& t = in.thresholds;
  ReportTable table{{"指标 Metric", "数值 Value", "阈值 Threshold", "已达到 Reached"}, {}};
  const auto row = [&table](const std::string& name, std::int64_t value, std::int64_t threshold) {
    table.rows.push_back({name, std::to_string(value),
                          threshold > 0 ? std::to_string(threshold) : "未设 not set",
                          threshold > 0 ? yes_no(value >= threshold) : "-"});
  };
  row("注册用户 Registered users", m.registered_users, t.registered_users);
  row("已实名用户 Verified users", m.verified_users, t.verified_users);
  row("日活跃用户 Daily active users", m.daily_active_users, t.daily_active_users);
  row("月活跃用户 Monthly active users", m.monthly_active_users, t.monthly_active_users);
  row("生成总数 Generations", m.generations_total, t.generations_total);
  for (const auto& [modality, n] : m.generations) {
    table.rows.push_back({"生成 Generations: " + modality, std::to_string(n), "-", "-"});
  }
  table.rows.push_back({"投诉 Complaints", std::to_string(m.complaints), "-", "-"});
  return table;
}

ReportDocument scope_report(const ReportInputs& in) {
  ReportDocument d;
  d.title = "深度合成服务范围评估 Deep synthesis scope assessment";
  d.subtitle = in.inventory.inventory.organisation;
  d.header = header_fields(in);
  d.footer = "SynthGate 范围评估 Scope assessment v" + std::to_string(in.inventory.version);

  std::vector<std::string> units_in;
  for (const auto& u : in.scope.units) {
    if (u.in_scope) units_in.push_back(u.id);
  }
  ReportSection summary{"1 结论 Summary", {}};
  summary.blocks.emplace_back(ReportParagraph{
      "在范围内的项目 Items in scope: " + std::to_string(in.scope.in_scope_count()) + " / " +
      std::to_string(in.scope.items.size()) +
      "。在范围内的业务单元 Business units in scope: " + std::to_string(units_in.size()) + " / " +
      std::to_string(in.scope.units.size()) + " (" + lines(units_in) + ")."});
  summary.blocks.emplace_back(ReportParagraph{
      "判定规则 Rule: an item is in scope when it generates or edits text, images, audio, video "
      "or virtual persons (Deep Synthesis Provisions Art. 23) and users in China can reach it; a "
      "product when one of its features is; a business unit when one of its products or "
      "third-party APIs is."});
  d.sections.push_back(std::move(summary));

  ReportTable units{{"业务单元 Unit", "名称 Name", "在范围内 In scope", "理由 Reasons"}, {}};
  for (const auto& u : in.scope.units) {
    units.rows.push_back({u.id, u.name, yes_no(u.in_scope), lines(u.reasons)});
  }
  d.sections.push_back({"2 业务单元 Business units", {std::move(units)}});

  ReportTable items{{"类型 Kind", "编号 ID", "名称 Name", "业务单元 Unit", "在范围内 In scope",
                     "理由 Reasons", "义务 Findings"},
                    {}};
  for (const auto& i : in.scope.items) {
    items.rows.push_back(
        {i.kind, i.id, i.name, i.unit, yes_no(i.in_scope), lines(i.reasons), lines(i.findings)});
  }
  d.sections.push_back(
      {"3 产品、功能与第三方接口 Products, features and third-party APIs", {std::move(items)}});
  d.sections.push_back(overseas_section("4 境外提供者 Overseas providers", in));

  ReportSection sign{"5 签署 Sign-off", {}};
  if (in.sign_offs.empty()) {
    sign.blocks.emplace_back(
        ReportParagraph{"未签署 Not signed: the compliance lead has not signed this version."});
  }
  for (const auto& s : in.sign_offs) {
    sign.blocks.emplace_back(
        ReportFields{{{"签署人 Signed by", s.signer + " (compliance_lead)"},
                      {"签署时间 Signed at", when(s.signed_ms)},
                      {"版本 Version", std::to_string(s.version)},
                      {"清单摘要 SHA-256", s.sha256},
                      {"审计索引 Audit entry", std::to_string(s.audit_index)}}});
  }
  d.sections.push_back(std::move(sign));
  return d;
}

ReportDocument filing_report(const ReportInputs& in) {
  ReportDocument d;
  d.title = "算法备案材料（草稿） Algorithm filing draft";
  d.subtitle = in.filing.algorithm_name;
  d.header = header_fields(in);
  d.footer =
      "SynthGate 算法备案草稿 Algorithm filing draft v" + std::to_string(in.inventory.version);

  std::vector<std::string> products;
  for (const auto& i : in.scope.items) {
    if (i.kind == "product" && i.in_scope) products.push_back(i.id + " " + i.name);
  }
  d.sections.push_back(
      {"1 算法基本情况 Algorithm",
       {ReportFields{{{"算法名称 Name", in.filing.algorithm_name},
                      {"算法类型 Type", in.filing.algorithm_type},
                      {"备案主体 Filing entity", in.inventory.inventory.organisation},
                      {"应用产品 Products", lines(products)}}}}});

  ReportTable mechanism{{"功能 Feature", "生成内容 Generates or edits", "模型 Model",
                         "提供者 Provider", "真人肖像或声音 Real persons"},
                        {}};
  for (const auto& f : in.inventory.inventory.features) {
    const bool in_scope = std::any_of(in.scope.items.begin(), in.scope.items.end(),
                                      [&f](const auto& i) { return i.id == f.id && i.in_scope; });
    if (!in_scope) continue;
    mechanism.rows.push_back({f.id + " " + f.name, modalities_of(f.answers), f.answers.model,
                              f.answers.provider, yes_no(f.answers.real_person_likeness_or_voice)});
  }
  for (const auto& a : in.inventory.inventory.third_party_apis) {
    if (!a.answers.reachable_in_china) continue;
    mechanism.rows.push_back({a.id + " " + a.name + " (third-party API)", modalities_of(a.answers),
                              a.answers.model, a.answers.provider,
                              yes_no(a.answers.real_person_likeness_or_voice)});
  }
  d.sections.push_back(
      {"2 算法机制 Mechanism",
       {ReportParagraph{"每个请求先经实名核验、同意核验与提示词审核后放行，输出经审核后加显式标识、"
                        "隐式标识（元数据）与数字水印，并记入防篡改审计日志。 Each request passes "
                        "real-name verification, consent checks and prompt moderation before "
                        "generation; each output is moderated, then given an explicit label, an "
                        "implicit metadata label and a watermark, and logged in the "
                        "tamper-evident audit log."},
        std::move(mechanism)}});

  ReportTable data{{"来源 Source", "许可 Licence", "个人信息依据 PI basis", "同意 Consent",
                    "采集日期 Collected", "抽检 Sampling check"},
                   {}};
  for (const auto& ds : in.datasets) {
    std::string check = "未抽检 not checked";
    if (ds.checked_ms) {
      check = std::to_string(*ds.flagged) + " / " + std::to_string(*ds.sampled) +
              " flagged: " + (*ds.usable ? "可用 usable" : "不可用 UNUSABLE (>5%, TC260-003 §5)");
    }
    data.rows.push_back({ds.source, ds.licence, ds.pi_basis, ds.consent, ds.collected_on, check});
  }
  ReportSection sources{"3 数据来源 Data sources", {}};
  if (data.rows.empty()) {
    sources.blocks.emplace_back(ReportParagraph{"未登记训练数据 No datasets registered."});
  } else {
    sources.blocks.emplace_back(std::move(data));
  }
  d.sections.push_back(std::move(sources));

  ReportSection labels{"4 标识方法与样例 Labelling method and samples (Labeling Measures Art. 12)",
                       {}};
  labels.blocks.emplace_back(ReportParagraph{
      "文本 Text: 显式标识位于回答开头或结尾 an explicit label at the start or end of each answer. "
      "样例 Sample: " +
      in.samples.text});
  if (!in.samples.image_png.empty()) {
    labels.blocks.emplace_back(ReportParagraph{
        "图像 Image: 边角处“AI生成”，字高不小于最短边的5% \"AI生成\" at an edge or corner, text "
        "height at least 5% of the shortest side."});
    labels.blocks.emplace_back(ReportImage{in.samples.image_png, in.samples.image_caption, 70});
  }
  labels.blocks.emplace_back(ReportParagraph{"音频 Audio: " + in.samples.audio});
  labels.blocks.emplace_back(ReportParagraph{"视频 Video: " + in.samples.video});
  labels.blocks.emplace_back(ReportParagraph{
      "隐式标识 Implicit label (GB 45438-2025 Annex E metadata): " + in.samples.metadata});
  d.sections.push_back(std::move(labels));

  ReportTable measures{{"措施 Measure", "依据 Basis", "证据 Evidence"}, {}};
  measures.rows.push_back({"实名核验 Real-name verification", "Provisions Art. 9",
                           std::to_string(in.metrics.verified_users) + " / " +
                               std::to_string(in.metrics.registered_users) + " users verified"});
  measures.rows.push_back({"输入输出审核 Input and output moderation", "Provisions Art. 10",
                           "lexicons, PDQ blocklist, personal-data masking"});
  measures.rows.push_back({"显式与隐式标识 Explicit and implicit labels",
                           "Labeling Measures Arts. 4-5",
                           std::to_string(in.metrics.generations_total) + " labelled outputs"});
  measures.rows.push_back(
      {"日志 Logs (≥ 6 months)", "Provisions Art. 16; Labeling Measures Art. 9",
       in.checkpoint ? "audit log of " + std::to_string(in.checkpoint->tree_size) +
                           " entries, checkpoint " + audit::format_time(in.checkpoint->created)
                     : "no checkpoint yet"});
  d.sections.push_back({"5 安全措施 Security measures", {std::move(measures)}});

  d.sections.push_back(
      {"6 投诉渠道 Complaint channel",
       {ReportFields{{{"渠道 Channel", in.filing.complaint_channel.empty()
                                           ? "未配置 not configured (compliance.complaint_channel)"
                                           : in.filing.complaint_channel},
                      {"投诉数 Complaints received", std::to_string(in.metrics.complaints)}}}}});
  d.sections.push_back(overseas_section("7 境外提供者与境内代表 Overseas providers", in));
  d.sections.push_back({"8 服务规模 Reach", {metrics_table(in)}});
  return d;
}

ReportDocument self_assessment_report(const ReportInputs& in) {
  ReportDocument d;
  d.title = "安全自评估报告 Security self-assessment";
  d.subtitle = in.filing.algorithm_name;
  d.header = header_fields(in);
  d.footer = "SynthGate 安全自评估 Security self-assessment";

  ReportSection metrics{"1 服务规模与阈值 Reach and thresholds", {metrics_table(in)}};
  for (const auto& note : in.metrics.notes) metrics.blocks.emplace_back(ReportParagraph{note});
  d.sections.push_back(std::move(metrics));

  const std::string checkpoint =
      in.checkpoint ? "checkpoint of " + std::to_string(in.checkpoint->tree_size) + " entries at " +
                          audit::format_time(in.checkpoint->created) + ", root " +
                          hex_encode(in.checkpoint->root)
                    : "no checkpoint yet";
  ReportTable obligations{{"义务 Obligation", "控制 Control", "证据 Evidence"}, {}};
  obligations.rows = {
      {"实名 Real-name verification (Provisions Art. 9)", "identity gate before generation",
       std::to_string(in.metrics.verified_users) + " of " +
           std::to_string(in.metrics.registered_users) +
           " users verified; tests UserRegistryTest.*, "
           "PipelineRoutesTest.UnverifiedAndUnknownUsersAreBlocked"},
      {"审核 Moderation of inputs and outputs (Art. 10)", "lexicons, PDQ blocklist",
       "tests TextModerator.*, EvasionSuite.*, PdqConformance.*"},
      {"标识 Labels on every output (Labeling Measures Arts. 4-5)",
       "visible label, watermark, metadata label",
       std::to_string(in.metrics.generations_total) +
           " content records; tests "
           "PipelineRoutesTest.ImageOutputCarriesAllLabelsAndTracesAfterJpegReencode"},
      {"日志 Logs kept ≥ 6 months, verifiable (Art. 16; LM Art. 9)", "Merkle audit log",
       checkpoint + "; tests AuditLogTest.*"},
      {"投诉 Complaint channel (Art. 12)", "complaint intake",
       std::to_string(in.metrics.complaints) + " complaints; channel " +
           (in.filing.complaint_channel.empty() ? "not configured" : in.filing.complaint_channel)},
      {"训练数据 Training data (Art. 14; TC260-003 §5)", "dataset registry, sampling check",
       std::to_string(in.datasets.size()) + " datasets registered"},
      {"备案 Filing and assessment (Arts. 19-20)", "thresholds watched, tasks",
       std::to_string(crossed_thresholds(in.metrics, in.thresholds).size()) +
           " thresholds reached"},
  };
  d.sections.push_back(
      {"2 义务、控制与证据 Obligations, controls and evidence", {std::move(obligations)}});

  ReportTable tasks{{"任务 Task", "负责人 Owner", "到期 Due", "状态 State"}, {}};
  const std::int64_t now = unix_millis(in.generated);
  for (const auto& t : in.tasks) {
    tasks.rows.push_back({t.title, std::string(role_name(t.owner)), when(t.due_ms),
                          t.done_ms ? "完成 done " + when(*t.done_ms)
                                    : (t.overdue(now) ? "逾期 OVERDUE" : "进行中 open")});
  }
  ReportSection task_section{"3 合规任务 Compliance tasks", {}};
  if (tasks.rows.empty()) {
    task_section.blocks.emplace_back(ReportParagraph{"无任务 No tasks."});
  } else {
    task_section.blocks.emplace_back(std::move(tasks));
  }
  d.sections.push_back(std::move(task_section));
  d.sections.push_back(
      {"4 审计日志 Audit log", {ReportFields{{{"最新检查点 Latest checkpoint", checkpoint}}}}});

  ReportSection tests{"5 测试结果 Test results", {}};
  if (!in.test_run) {
    tests.blocks.emplace_back(ReportParagraph{
        "未提供测试报告 No test report was given (synthgate compliance report --test-results "
        "FILE, from ctest --output-junit FILE)."});
  } else {
    const reports::TestRun& run = *in.test_run;
    tests.blocks.emplace_back(ReportFields{{
        {"测试运行 Run", run.name.empty() ? "-" : run.name},
        {"时间 Time", run.timestamp.empty() ? "-" : run.timestamp},
        {"通过 Passed", std::to_string(run.passed)},
        {"失败 Failed", std::to_string(run.failed)},
        {"跳过 Skipped", std::to_string(run.skipped)},
    }});
    ReportTable cases{{"测试 Test", "结果 Result", "秒 Seconds"}, {}};
    // Failures first: they are what a reader of the assessment must see.
    for (const char* status : {"failed", "skipped", "passed"}) {
      for (const auto& c : run.cases) {
        if (c.status != status) continue;
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.2f", c.seconds);
        cases.rows.push_back({c.name, c.status, seconds});
      }
    }
    tests.blocks.emplace_back(std::move(cases));
  }
  d.sections.push_back(std::move(tests));
  return d;
}

}  // namespace

Result<ReportKind> parse_report_kind(std::string_view name) {
  if (name == "scope") return ReportKind::kScope;
  if (name == "filing") return ReportKind::kFiling;
  if (name == "self-assessment") return ReportKind::kSelfAssessment;
  return fail(ErrorCode::kUsage,
              "--kind: scope, filing or self-assessment, got \"" + std::string(name) + "\"");
}

Result<ReportInputs> gather_report_inputs(GovernanceRecords& records,
                                          std::optional<std::int64_t> version,
                                          const Thresholds& thresholds, FilingFacts filing,
                                          LabelSamples samples) {
  ReportInputs in;
  in.generated = records.clock().now();
  auto inventory = records.inventory_version(version);
  if (!inventory) return tl::unexpected(inventory.error());
  in.inventory = std::move(*inventory);
  in.scope = assess_scope(in.inventory.inventory);
  auto signs = records.sign_offs(in.inventory.version);
  if (!signs) return tl::unexpected(signs.error());
  in.sign_offs = std::move(*signs);
  auto lead = records.role(Role::kComplianceLead);
  if (!lead) return tl::unexpected(lead.error());
  in.lead = *lead;
  auto owner = records.role(Role::kDataGovernanceOwner);
  if (!owner) return tl::unexpected(owner.error());
  in.owner = *owner;
  auto metrics = gather_metrics(records.store(), in.generated);
  if (!metrics) return tl::unexpected(metrics.error());
  in.metrics = std::move(*metrics);
  in.thresholds = thresholds;
  auto tasks = ComplianceTasks(records).list();
  if (!tasks) return tl::unexpected(tasks.error());
  in.tasks = std::move(*tasks);
  auto datasets = DatasetRegistry(records).list();
  if (!datasets) return tl::unexpected(datasets.error());
  in.datasets = std::move(*datasets);
  auto checkpoint = records.audit().latest_checkpoint();
  if (!checkpoint) return tl::unexpected(checkpoint.error());
  in.checkpoint = *checkpoint;
  in.filing = std::move(filing);
  in.samples = std::move(samples);
  return in;
}

reports::ReportDocument build_report(ReportKind kind, const ReportInputs& inputs) {
  switch (kind) {
    case ReportKind::kScope:
      return scope_report(inputs);
    case ReportKind::kFiling:
      return filing_report(inputs);
    case ReportKind::kSelfAssessment:
      break;
  }
  return self_assessment_report(inputs);
}

nlohmann::json report_document_json(const reports::ReportDocument& document) {
  using json = nlohmann::json;
  const auto fields = [](const ReportFields& f) {
    json out = json::array();
    for (const auto& [k, v] : f.entries) out.push_back({{"key", k}, {"value", v}});
    return out;
  };
  json out = {{"title", document.title},
              {"subtitle", document.subtitle},
              {"header", fields(document.header)},
              {"sections", json::array()},
              {"footer", document.footer}};
  for (const auto& section : document.sections) {
    json blocks = json::array();
    for (const auto& block : section.blocks) {
      if (const auto* p = std::get_if<ReportParagraph>(&block)) {
        blocks.push_back({{"paragraph", p->text}});
      } else if (const auto* t = std::get_if<ReportTable>(&block)) {
        blocks.push_back({{"table", {{"columns", t->columns}, {"rows", t->rows}}}});
      } else if (const auto* f = std::get_if<ReportFields>(&block)) {
        blocks.push_back({{"fields", fields(*f)}});
      } else if (const auto* i = std::get_if<ReportImage>(&block)) {
        blocks.push_back(
            {{"image", {{"caption", i->caption}, {"png_base64", base64_encode(i->png)}}}});
      }
    }
    out["sections"].push_back({{"heading", section.heading}, {"blocks", std::move(blocks)}});
  }
  return out;
}

}  // namespace synthgate::governance
