#pragma once

#include <cstddef>
#include <filesystem>

#include "complaints/complaint_limits.hpp"
#include "complaints/complaint_records.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/ed25519.hpp"
#include "core/secret_bytes.hpp"
#include "pipeline/pipeline_records.hpp"
#include "server/complaint_desk.hpp"
#include "server/gateway_server.hpp"
#include "server/rate_limiter.hpp"

namespace synthgate::server {

// Something told of each intake and transition (webhook, e-mail); failures are logged, never
// refuse the complaint.
class ComplaintNotifier {
 public:
  virtual ~ComplaintNotifier() = default;
  virtual void notify(const complaints::Complaint& complaint, std::string_view event) = 0;
};

// What the complaint routes work with; all must outlive the server.
struct ComplaintRoutesContext {
  complaints::ComplaintRecords& records;
  ComplaintDesk& desk;
  pipeline::PipelineRecords& contents;  // the trace of a detected attachment
  const complaints::ComplaintLimits& limits;
  const Clock& clock;                               // rate limits and overdue
  const Ed25519SigningKey* metadata_key = nullptr;  // verifies ReservedCode1 of attachments
  const SecretBytes* watermark_key = nullptr;       // reads their watermark
  ComplaintNotifier* notifier = nullptr;
};

// Public: POST /v1/complaints (multipart intake), GET /v1/complaints/{tracking_code},
// GET /complaints (form), /complaints/policy, /complaints/stats.
// compliance_officer: GET /v1/complaints (list), GET /v1/complaints/cases/{id},
// POST .../assign, .../transition, .../notes, .../actions, GET .../report (docs/complaints.md).
void add_complaint_routes(GatewayServer& server, const ComplaintRoutesContext& context,
                          const ComplaintsConfig& config);

}  // namespace synthgate::server
