#include "server/audit_routes.hpp"

#include <charconv>

#include "audit/audit_json.hpp"
#include "audit/time_text.hpp"
#include "server/api_response.hpp"

namespace synthgate::server {

namespace {

Result<std::optional<std::uint64_t>> number_param(const httplib::Request& req,
                                                  const std::string& name) {
  if (!req.has_param(name)) return std::optional<std::uint64_t>();
  const std::string text = req.get_param_value(name);
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return fail(ErrorCode::kInvalidArgument, "query parameter " + name + " is not a number");
  }
  return std::optional<std::uint64_t>(n);
}

Result<std::uint64_t> required_param(const httplib::Request& req, const std::string& name) {
  auto n = number_param(req, name);
  if (!n) return tl::unexpected(n.error());
  if (!*n) return fail(ErrorCode::kInvalidArgument, "query parameter " + name + " is required");
  return **n;
}

// The size proofs default to: the latest signed checkpoint's, which the client can check.
Result<std::uint64_t> size_param(const httplib::Request& req, audit::AuditLog& log) {
  auto size = number_param(req, "size");
  if (!size) return tl::unexpected(size.error());
  if (*size) return **size;
  auto latest = log.latest_checkpoint();
  if (!latest) return tl::unexpected(latest.error());
  if (!*latest) return fail(ErrorCode::kNotFound, "no checkpoint yet");
  return (*latest)->tree_size;
}

}  // namespace

void add_audit_routes(GatewayServer& server, audit::AuditLog& log) {
  server.add_route("get", "/v1/audit/checkpoint",
                   [&log](const httplib::Request&, httplib::Response& res) {
                     auto latest = log.latest_checkpoint();
                     if (!latest) return write_error(res, latest.error());
                     if (!*latest) {
                       return write_error(res, Error{ErrorCode::kNotFound, "no checkpoint yet"});
                     }
                     res.status = 200;
                     res.set_content((*latest)->note, "text/plain; charset=utf-8");
                   });
  server.add_route("get", "/v1/audit/proofs/inclusion",
                   [&log](const httplib::Request& req, httplib::Response& res) {
                     auto index = required_param(req, "index");
                     if (!index) return write_error(res, index.error());
                     auto size = size_param(req, log);
                     if (!size) return write_error(res, size.error());
                     auto proof = log.prove_inclusion(*index, *size);
                     if (!proof) return write_error(res, proof.error());
                     write_json(res, 200, audit::inclusion_json(*proof));
                   });
  server.add_route("get", "/v1/audit/proofs/consistency",
                   [&log](const httplib::Request& req, httplib::Response& res) {
                     auto first = required_param(req, "first");
                     if (!first) return write_error(res, first.error());
                     auto second = size_param(req, log);
                     if (req.has_param("second")) second = required_param(req, "second");
                     if (!second) return write_error(res, second.error());
                     auto proof = log.prove_consistency(*first, *second);
                     if (!proof) return write_error(res, proof.error());
                     write_json(res, 200, audit::consistency_json(*proof));
                   });
  server.add_route("get", "/v1/audit/entries", RouteAccess{kAuditReaders, 0},
                   [&log](const httplib::Request& req, httplib::Response& res, const Principal&) {
                     audit::EntryFilter filter;
                     for (const char* name : {"from", "to"}) {
                       if (!req.has_param(name)) continue;
                       auto t = audit::parse_time(req.get_param_value(name));
                       if (!t) return write_error(res, t.error());
                       (std::string_view(name) == "from" ? filter.from : filter.to) = *t;
                     }
                     if (req.has_param("type")) {
                       auto type = audit::parse_event_type(req.get_param_value("type"));
                       if (!type) return write_error(res, type.error());
                       filter.type = *type;
                     }
                     if (req.has_param("user_id")) filter.user_id = req.get_param_value("user_id");
                     if (req.has_param("content_id"))
                       filter.content_id = req.get_param_value("content_id");
                     auto start = number_param(req, "start");
                     auto limit = number_param(req, "limit");
                     if (!start) return write_error(res, start.error());
                     if (!limit) return write_error(res, limit.error());
                     filter.start_index = start->value_or(0);
                     filter.limit = static_cast<std::size_t>(
                         std::clamp<std::uint64_t>(limit->value_or(100), 1, 1000));
                     auto entries = log.entries(filter);
                     if (!entries) return write_error(res, entries.error());
                     nlohmann::json list = nlohmann::json::array();
                     for (const auto& entry : *entries) list.push_back(audit::entry_json(entry));
                     nlohmann::json body = {{"entries", list}, {"next_start", nullptr}};
                     if (entries->size() == filter.limit)
                       body["next_start"] = entries->back().index + 1;
                     write_json(res, 200, body);
                   });
}

}  // namespace synthgate::server
