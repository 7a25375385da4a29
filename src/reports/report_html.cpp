#include <string>

#include "core/encoding.hpp"
#include "reports/report_document.hpp"

namespace synthgate::reports {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

void append_fields(std::string& out, const ReportFields& fields) {
  out += "<table class=\"fields\">\n";
  for (const auto& [key, value] : fields.entries) {
    out += "<tr><th>" + escape_html(key) + "</th><td>" + escape_html(value) + "</td></tr>\n";
  }
  out += "</table>\n";
}

void append_table(std::string& out, const ReportTable& table) {
  out += "<table class=\"grid\">\n<thead><tr>";
  for (const auto& column : table.columns) out += "<th>" + escape_html(column) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < std::max(row.size(), table.columns.size()); ++i) {
      out += "<td>" + (i < row.size() ? escape_html(row[i]) : std::string()) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

constexpr const char* kStyle =
    "body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;max-width:60em;margin:2em "
    "auto;padding:0 1em;line-height:1.5;color:#111}"
    "h1{font-size:1.6em;margin-bottom:0}p.subtitle{color:#555;margin-top:.2em}"
    "h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.6em 0}"
    "table.grid th,table.grid td{border:1px solid #bbb;padding:.25em .5em;text-align:left;"
    "vertical-align:top}table.grid th{background:#eee}"
    "table.fields th{text-align:left;padding-right:1em;font-weight:600;vertical-align:top}"
    "figure{margin:1em 0}figcaption{color:#555;font-size:.9em}"
    "footer{margin-top:2em;color:#666;font-size:.85em}";

}  // namespace

std::string render_html(const ReportDocument& document) {
  std::string out =
      "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      escape_html(document.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>" + escape_html(document.title) + "</h1>\n";
  if (!document.subtitle.empty()) {
    out += "<p class=\"subtitle\">" + escape_html(document.subtitle) + "</p>\n";
  }
  if (!document.header.entries.empty()) append_fields(out, document.header);
  for (const ReportSection& section : document.sections) {
    out += "<section>\n<h2>" + escape_html(section.heading) + "</h2>\n";
    for (const ReportBlock& block : section.blocks) {
      std::visit(
          Overloaded{
              [&](const ReportParagraph& p) { out += "<p>" + escape_html(p.text) + "</p>\n"; },
              [&](const ReportTable& t) { append_table(out, t); },
              [&](const ReportFields& f) { append_fields(out, f); },
              [&](const ReportImage& image) {
                out += "<figure><img alt=\"" + escape_html(image.caption) +
                       "\" style=\"width:" + std::to_string(static_cast<int>(image.width_mm)) +
                       "mm\" src=\"data:image/png;base64," + base64_encode(image.png) +
                       "\"><figcaption>" + escape_html(image.caption) + "</figcaption></figure>\n";
              },
          },
          block);
    }
    out += "</section>\n";
  }
  if (!document.footer.empty()) out += "<footer>" + escape_html(document.footer) + "</footer>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace synthgate::reports
