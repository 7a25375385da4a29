#include "pipeline/detection_json.hpp"

namespace synthgate::pipeline {

using nlohmann::ordered_json;

ordered_json detection_json(const DetectionReport& report, ReportAudience audience) {
  ordered_json out{{"verdict", verdict_name(report.verdict)},
                   {"reason", report.reason},
                   {"kind", report.kind},
                   {"format", report.format},
                   {"declared_ai", report.declared_ai}};

  const MetadataFinding& m = report.metadata;
  if (m.record) {
    ordered_json meta{{"aigc", ordered_json::parse(m.record->to_json())}, {"count", m.count}};
    meta["signature"] =
        m.integrity ? ordered_json(std::string(metadata::integrity_name(*m.integrity))) : nullptr;
    out["metadata"] = std::move(meta);
  } else {
    out["metadata"] = nullptr;
  }
  if (!m.checked) out["metadata_note"] = m.note;

  const WatermarkFinding& w = report.watermark;
  ordered_json wm{{"checked", w.checked}, {"found", w.found}};
  if (audience == ReportAudience::kProvider) {
    wm["payload"] = w.found ? payload_hex(w.payload) : "";
  }
  wm["confidence"] = w.confidence;
  if (audience == ReportAudience::kProvider && w.checked) wm["bit_errors"] = w.bit_errors;
  if (!w.checked) wm["reason"] = w.note;
  out["watermark"] = std::move(wm);

  const ExplicitLabelFinding& e = report.explicit_label;
  ordered_json label{{"checked", e.checked}, {"found", e.found}};
  if (e.checked) {
    label["ai_element"] = e.ai_element;
    label["generation_element"] = e.generation_element;
    label["position"] = e.position;
    label["text"] = e.line;
  } else {
    label["reason"] = e.note;
  }
  out["explicit_label"] = std::move(label);
  return out;
}

}  // namespace synthgate::pipeline
