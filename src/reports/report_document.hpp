#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/encoding.hpp"
#include "core/result.hpp"

namespace synthgate::reports {

// A report as data: what complaints (a case for the authorities) and governance (scope
// assessment, filing draft, self-assessment) hand to the renderers, so the paperwork is built
// from records and both renderers show the same thing.

struct ReportParagraph {
  std::string text;
};

// A table with a header row; a row shorter than the header leaves its last cells empty.
struct ReportTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// "key: value" lines: a case number, dates, who signed.
struct ReportFields {
  std::vector<std::pair<std::string, std::string>> entries;
};

// A PNG shown with a caption, e.g. a sample of a visible label.
struct ReportImage {
  Bytes png;
  std::string caption;
  double width_mm = 80;  // the height follows the aspect ratio
};

using ReportBlock = std::variant<ReportParagraph, ReportTable, ReportFields, ReportImage>;

struct ReportSection {
  std::string heading;  // bilingual is fine: "1 范围评估 Scope assessment"
  std::vector<ReportBlock> blocks;
};

struct ReportDocument {
  std::string title;  // UTF-8; Chinese and English both render
  std::string subtitle;
  ReportFields header;  // under the title: organisation, date, version
  std::vector<ReportSection> sections;
  std::string footer;  // at the foot of every PDF page, beside "n / N"
};

// A complete HTML page: UTF-8, every string escaped, images as data: URIs, no scripts.
std::string render_html(const ReportDocument& document);

// An A4 PDF through cairo and pango. Text stays text (pdftotext reads it back); CJK is set in
// Noto Sans CJK. Fails on an image that is not a PNG.
Result<Bytes> render_pdf(const ReportDocument& document);

}  // namespace synthgate::reports
