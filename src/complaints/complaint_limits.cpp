#include "complaints/complaint_limits.hpp"

namespace synthgate::complaints {

namespace {
constexpr std::int64_t kHourMs = 3600 * 1000;
}

ComplaintLimits::ComplaintLimits(std::vector<ComplaintLimit> limits)
    : limits_(std::move(limits)), fallback_{"other", 48, 15} {
  for (const auto& l : limits_)
    if (l.category == "other") fallback_ = l;
}

const ComplaintLimit& ComplaintLimits::limit_for(std::string_view category) const {
  for (const auto& l : limits_)
    if (l.category == category) return l;
  return fallback_;
}

std::int64_t ComplaintLimits::acknowledge_deadline_ms(const Complaint& c) const {
  return c.received_ms + limit_for(c.category).acknowledge_hours * kHourMs;
}

std::int64_t ComplaintLimits::resolve_deadline_ms(const Complaint& c) const {
  return c.received_ms + std::int64_t{limit_for(c.category).resolve_days} * 24 * kHourMs;
}

std::optional<std::string> ComplaintLimits::breached(const Complaint& c,
                                                     std::int64_t now_ms) const {
  // An appeal reopens the case, but the limits run from the first receipt: an appeal is
  // decided within the same published time.
  if (is_decided(c.state)) return std::nullopt;
  if (!c.acknowledged_ms && now_ms > acknowledge_deadline_ms(c)) return "acknowledge";
  if (now_ms > resolve_deadline_ms(c)) return "resolve";
  return std::nullopt;
}

}  // namespace synthgate::complaints
