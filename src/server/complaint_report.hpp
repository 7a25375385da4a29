#pragma once

#include <nlohmann/json.hpp>

#include "reports/report_document.hpp"

namespace synthgate::server {

// The package for the authorities (ComplaintDesk::authorities_package) as a document, for
// reports::render_pdf: the case, its events, the content record and the audit proofs.
reports::ReportDocument authorities_report(const nlohmann::json& package);

}  // namespace synthgate::server
