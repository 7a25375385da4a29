#pragma once

#include "identity/user_registry.hpp"
#include "pipeline/admission_desk.hpp"
#include "pipeline/output_desk.hpp"
#include "pipeline/pipeline_records.hpp"
#include "server/gateway_server.hpp"

namespace synthgate::server {

struct PipelineRouteOptions {
  std::size_t max_upload_bytes = std::size_t{512} << 20;
  std::filesystem::path spool_dir = "var/spool";  // text outputs and labelled files
};

// POST /v1/admissions and /v1/outputs (service role); GET /v1/contents/{id} and
// /v1/contents?watermark_payload= (compliance_officer, auditor, regulator_readonly): the trace
// from a content record to its admission and its user.
void add_pipeline_routes(GatewayServer& server, pipeline::AdmissionDesk& admissions,
                         pipeline::OutputDesk& outputs, pipeline::PipelineRecords& records,
                         identity::UserRegistry& users, PipelineRouteOptions options);

}  // namespace synthgate::server
