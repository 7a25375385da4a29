#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "complaints/complaint.hpp"
#include "complaints/complaint_limits.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/secure_random.hpp"
#include "identity/personal_data_vault.hpp"
#include "store/migration.hpp"
#include "store/store.hpp"

namespace synthgate::complaints {

// What the public hands in, with what intake found out about the attachment.
struct NewComplaint {
  std::string category;
  std::string description;
  std::string url;
  std::string contact;
  std::optional<std::string> attachment_sha256;
  std::optional<std::string> attachment_pdq;
  std::optional<std::string> attachment_type;
  std::optional<std::string> content_id;
  std::optional<std::string> admission_id;
  std::optional<std::string> user_id;
};

struct Intake {
  Complaint complaint;
  bool merged = false;  // the same file was complained about within the window: that case
};

struct ComplaintFilter {
  std::optional<ComplaintState> state;
  std::optional<std::string> category;
  std::optional<std::string> assignee;
  bool overdue_only = false;  // past a time limit now, or escalated and still open
  std::size_t limit = 100;
};

// An action on a case (takedown, suspend_user, correct_label, report_to_authorities).
struct ComplaintAction {
  std::string action;
  std::string summary;
  std::map<std::string, std::string> details;  // audited as they are: ids and codes only
};

// The transparency figures (/complaints/stats).
struct ComplaintStats {
  std::int64_t total = 0;
  // category -> {"received": n, "open": n, "actioned": n, "rejected": n}
  std::map<std::string, std::map<std::string, std::int64_t>> by_category;
  std::optional<std::int64_t> median_handling_ms;  // receipt to decision, decided cases
};

// The complaints and complaint_events tables. Every change is an audit event
// (complaint_action) appended before the row is written, like PipelineRecords.
class ComplaintRecords {
 public:
  // The complainant's contact is sealed in `vault`, never stored in the clear.
  ComplaintRecords(store::Store& store, audit::AuditLog& audit, identity::PersonalDataVault& vault,
                   const Clock& clock, IdGenerator& ids, RandomSource& random);

  // A new case, or (the same attachment within `duplicate_window`) the earlier one, whose
  // duplicate count grows and which gets a "duplicate" event.
  Result<Intake> receive(const NewComplaint& complaint, std::chrono::hours duplicate_window);

  Result<Complaint> get(std::string_view id);
  // The complainant's contact ("" when none was given), opened from the vault; the read is
  // a personal_data_read audit event naming `actor` and `purpose`.
  Result<std::string> contact(const Complaint& complaint, std::string_view actor,
                              std::string_view purpose);
  Result<Complaint> by_tracking_code(std::string_view tracking_code);
  // Newest first. `limits` decides what is overdue.
  Result<std::vector<Complaint>> list(const ComplaintFilter& filter, const ComplaintLimits& limits);
  Result<std::vector<ComplaintEvent>> events(std::string_view complaint_id);

  Result<Complaint> assign(std::string_view id, std::string_view assignee, std::string_view actor);
  // Refused (kFailedPrecondition) when the workflow does not allow it from the current state.
  Result<Complaint> transition(std::string_view id, ComplaintState to, std::string_view actor,
                               std::string_view note = {});
  Result<ComplaintEvent> add_note(std::string_view id, std::string_view text,
                                  std::string_view actor);
  // Audits the action, then runs `effect` (revoking, suspending, ...), then records the event:
  // an effect never happens unaudited, and a failed effect leaves no event.
  Result<ComplaintEvent> record_action(std::string_view id, const ComplaintAction& action,
                                       std::string_view actor,
                                       const std::function<Status()>& effect);

  // Escalates every open case past a limit and not escalated yet; returns them.
  Result<std::vector<Complaint>> escalate_overdue(const ComplaintLimits& limits);

  Result<ComplaintStats> stats();

 private:
  Result<std::uint64_t> audit(const Complaint& complaint, const std::string& event,
                              std::map<std::string, std::string> details, std::string_view actor);
  Result<ComplaintEvent> add_event(ComplaintEvent event);
  std::string new_tracking_code();

  store::Store& store_;
  audit::AuditLog& audit_;
  identity::PersonalDataVault& vault_;
  const Clock& clock_;
  IdGenerator& ids_;
  RandomSource& random_;
};

const store::MigrationSet& complaint_migrations();

}  // namespace synthgate::complaints
