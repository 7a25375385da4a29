#pragma once

#include <string>

#include "complaints/complaint.hpp"
#include "complaints/complaint_limits.hpp"
#include "complaints/complaint_records.hpp"

namespace synthgate::server {

// The public pages of the complaint channel: plain HTML, every value escaped, no scripts, so
// they work in any browser and with JavaScript off.

// GET /complaints: the form, posting multipart to /v1/complaints.
std::string complaint_form_page(std::size_t max_attachment_bytes);
// The answer to a form submission that asked for text/html: the tracking code.
std::string complaint_received_page(const complaints::Complaint& complaint, bool merged);
// An intake refused, for a browser.
std::string complaint_refused_page(const std::string& message);
// GET /complaints/policy: the categories and their published time limits.
std::string complaint_policy_page(const complaints::ComplaintLimits& limits);
// GET /complaints/stats: counts by category and outcome, median handling time.
std::string complaint_stats_page(const complaints::ComplaintStats& stats);

}  // namespace synthgate::server
