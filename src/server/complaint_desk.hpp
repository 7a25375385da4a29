#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "audit/audit_log.hpp"
#include "complaints/complaint_records.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "identity/user_registry.hpp"
#include "pipeline/blocklist_hashes.hpp"
#include "pipeline/pipeline_records.hpp"

namespace synthgate::server {

// The actions a compliance officer takes on a case, composed over the records they touch.
// Each is a complaint action event, audited before its effect (ComplaintRecords).
class ComplaintDesk {
 public:
  ComplaintDesk(complaints::ComplaintRecords& complaints, pipeline::PipelineRecords& contents,
                pipeline::BlocklistHashes& blocklist, identity::UserRegistry& users,
                audit::AuditLog& audit, const Clock& clock)
      : complaints_(complaints),
        contents_(contents),
        blocklist_(blocklist),
        users_(users),
        audit_(audit),
        clock_(clock) {}

  // The content the case is about is revoked and its PDQ hash (the content record's, else
  // the attachment's) joins the blocklist, in force for the next admission or output.
  Result<complaints::ComplaintEvent> take_down(std::string_view complaint_id,
                                               std::string_view reason, std::string_view actor);
  // The user behind the content is suspended (identity registry).
  Result<complaints::ComplaintEvent> suspend_user(std::string_view complaint_id,
                                                  std::string_view reason, std::string_view actor);
  // A label found wrong: the decision (what the label should say) is recorded on the case.
  Result<complaints::ComplaintEvent> correct_label(std::string_view complaint_id,
                                                   std::string_view decision,
                                                   std::string_view actor);
  // The package for the authorities: the case, its events, the content record, and an
  // inclusion proof of every audit entry involved against the current tree. Recorded as an
  // action (report_to_authorities).
  Result<nlohmann::json> authorities_package(std::string_view complaint_id, std::string_view actor);

 private:
  complaints::ComplaintRecords& complaints_;
  pipeline::PipelineRecords& contents_;
  pipeline::BlocklistHashes& blocklist_;
  identity::UserRegistry& users_;
  audit::AuditLog& audit_;
  const Clock& clock_;
};

// The case as staff see it (contact included), and as the public sees it (status only).
nlohmann::json complaint_staff_json(const complaints::Complaint& complaint,
                                    const complaints::ComplaintLimits& limits, std::int64_t now_ms);
nlohmann::json complaint_public_json(const complaints::Complaint& complaint);
nlohmann::json complaint_event_json(const complaints::ComplaintEvent& event);

}  // namespace synthgate::server
