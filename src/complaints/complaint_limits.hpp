#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/complaint.hpp"
#include "core/config.hpp"

namespace synthgate::complaints {

// The published time limits (complaints.limits): per category, acknowledge within hours and
// resolve within days of receipt. A category without its own limit takes "other"'s.
class ComplaintLimits {
 public:
  explicit ComplaintLimits(std::vector<ComplaintLimit> limits);

  const ComplaintLimit& limit_for(std::string_view category) const;
  const std::vector<ComplaintLimit>& all() const { return limits_; }

  std::int64_t acknowledge_deadline_ms(const Complaint& complaint) const;
  std::int64_t resolve_deadline_ms(const Complaint& complaint) const;
  // The limit a complaint has broken at `now_ms` ("acknowledge" or "resolve"), if any.
  std::optional<std::string> breached(const Complaint& complaint, std::int64_t now_ms) const;

 private:
  std::vector<ComplaintLimit> limits_;
  ComplaintLimit fallback_;
};

}  // namespace synthgate::complaints
