#pragma once

#include <functional>

#include "governance/compliance_reports.hpp"
#include "governance/governance_records.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::server {

struct GovernanceRouteOptions {
  governance::Thresholds thresholds;
  governance::FilingFacts filing;
  // Makes the label samples of the filing draft (the labels engine, in the caller).
  std::function<Result<governance::LabelSamples>()> label_samples;
};

// The compliance programme for the compliance_officer role (docs/compliance.md): inventory
// versions and their diff, the scope assessment (alerts raised), roles, sign-off, the three
// reports (pdf, html, json) and the tasks.
void add_governance_routes(GatewayServer& server, governance::GovernanceRecords& records,
                           GovernanceRouteOptions options);

}  // namespace synthgate::server
