#include "server/governance_routes.hpp"

#include <charconv>

#include "governance/assessment_json.hpp"
#include "server/api_response.hpp"
#include "server/json_body.hpp"

namespace synthgate::server {

namespace {

using json = nlohmann::json;

// An optional integer query parameter; absent: nullopt.
Result<std::optional<std::int64_t>> integer_param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::optional<std::int64_t>();
  const std::string text = req.get_param_value(name);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
    return fail(ErrorCode::kInvalidArgument, std::string(name) + " must be a positive integer");
  }
  return std::optional<std::int64_t>(value);
}

}  // namespace

void add_governance_routes(GatewayServer& server, governance::GovernanceRecords& records,
                           GovernanceRouteOptions options) {
  const RouteAccess officer{{Role::kComplianceOfficer}, 4u << 20};
  auto shared = std::make_shared<GovernanceRouteOptions>(std::move(options));

  server.add_route(
      "post", "/v1/compliance/inventory", officer,
      [&records](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        auto inventory = governance::parse_inventory_text(req.body);
        if (!inventory) return write_error(res, inventory.error());
        auto version = records.import_inventory(*inventory, who.key_id);
        if (!version) return write_error(res, version.error());
        write_json(res, 201, {{"version", version->version}, {"sha256", version->sha256}});
      });

  server.add_route(
      "get", "/v1/compliance/inventory", officer,
      [&records](const httplib::Request& req, httplib::Response& res, const Principal&) {
        auto version = integer_param(req, "version");
        if (!version) return write_error(res, version.error());
        auto found = records.inventory_version(*version);
        if (!found) return write_error(res, found.error());
        write_json(res, 200,
                   {{"version", found->version},
                    {"sha256", found->sha256},
                    {"inventory", governance::inventory_json(found->inventory)}});
      });

  server.add_route(
      "get", "/v1/compliance/inventory/diff", officer,
      [&records](const httplib::Request& req, httplib::Response& res, const Principal&) {
        auto from = integer_param(req, "from");
        auto to = integer_param(req, "to");
        if (!from || !to) return write_error(res, !from ? from.error() : to.error());
        if (!*from || !*to) {
          return write_error(res, Error{ErrorCode::kInvalidArgument, "from and to are required"});
        }
        auto diff = records.diff(**from, **to);
        if (!diff) return write_error(res, diff.error());
        write_json(res, 200, *diff);
      });

  server.add_route(
      "get", "/v1/compliance/assessment", officer,
      [&records, shared](const httplib::Request& req, httplib::Response& res, const Principal&) {
        auto version = integer_param(req, "version");
        if (!version) return write_error(res, version.error());
        auto found = records.inventory_version(*version);
        if (!found) return write_error(res, found.error());
        auto metrics = governance::gather_metrics(records.store(), records.clock().now());
        if (!metrics) return write_error(res, metrics.error());
        auto alerts =
            governance::ComplianceTasks(records).raise_alerts(*metrics, shared->thresholds);
        if (!alerts) return write_error(res, alerts.error());
        auto signs = records.sign_offs(found->version);
        if (!signs) return write_error(res, signs.error());
        write_json(res, 200,
                   governance::assessment_json(*found, governance::assess_scope(found->inventory),
                                               *metrics, *alerts, *signs));
      });

  server.add_route(
      "post", "/v1/compliance/roles", officer,
      [&records](const httplib::Request& req, httplib::Response& res, const Principal& who) {
        auto body = parse_json_object(req.body);
        if (!body) return write_error(res, body.error());
        auto role_text = required_string(*body, "role");
        auto person = role_text ? required_string(*body, "person") : role_text;
        if (!person) return write_error(res, person.error());
        auto role = governance::parse_role(*role_text);
        if (!role) return write_error(res, role.error());
        auto assigned = records.assign_role(*role, *person, who.key_id);
        if (!assigned) return write_error(res, assigned.error());
        write_json(res, 200, {{"role", *role_text}, {"person", *person}});
      });

  server.add_route(
      "post", "/v1/compliance/sign-offs", officer,
      [&records](const httplib::Request& req, httplib::Response& res, const Principal&) {
        auto body = parse_json_object(req.body);
        if (!body) return write_error(res, body.error());
        auto signer = required_string(*body, "signer");
        if (!signer) return write_error(res, signer.error());
        std::optional<std::int64_t> version;
        if (const auto v = body->find("version"); v != body->end()) {
          if (!v->is_number_integer()) {
            return write_error(res,
                               Error{ErrorCode::kInvalidArgument, "version must be an integer"});
          }
          version = v->get<std::int64_t>();
        }
        auto found = records.inventory_version(version);
        if (!found) return write_error(res, found.error());
        auto signed_off = records.sign_off(found->version, *signer);
        if (!signed_off) return write_error(res, signed_off.error());
        write_json(res, 201,
                   {{"id", signed_off->id},
                    {"version", signed_off->version},
                    {"sha256", signed_off->sha256},
                    {"signer", signed_off->signer},
                    {"signed_ms", signed_off->signed_ms},
                    {"audit_index", signed_off->audit_index}});
      });

  server.add_route(
      "get", "/v1/compliance/reports/{kind}", officer,
      [&records, shared](const httplib::Request& req, httplib::Response& res, const Principal&) {
        auto kind = governance::parse_report_kind(req.matches[1].str());
        if (!kind) {
          return write_error(res, Error{ErrorCode::kNotFound, kind.error().message});
        }
        const std::string format =
            req.has_param("format") ? req.get_param_value("format") : std::string("json");
        if (format != "pdf" && format != "html" && format != "json") {
          return write_error(res, Error{ErrorCode::kInvalidArgument, "format: pdf, html or json"});
        }
        auto version = integer_param(req, "version");
        if (!version) return write_error(res, version.error());
        governance::LabelSamples samples;
        if (*kind == governance::ReportKind::kFiling && shared->label_samples) {
          auto made = shared->label_samples();
          if (!made) return write_error(res, made.error());
          samples = std::move(*made);
        }
        auto inputs = governance::gather_report_inputs(records, *version, shared->thresholds,
                                                       shared->filing, std::move(samples));
        if (!inputs) return write_error(res, inputs.error());
        const auto document = governance::build_report(*kind, *inputs);
        if (format == "json")
          return write_json(res, 200, governance::report_document_json(document));
        if (format == "html") {
          res.status = 200;
          res.set_content(reports::render_html(document), "text/html; charset=utf-8");
          return;
        }
        auto pdf = reports::render_pdf(document);
        if (!pdf) return write_error(res, pdf.error());
        res.status = 200;
        res.set_content(std::string(pdf->begin(), pdf->end()), "application/pdf");
      });

  server.add_route("get", "/v1/compliance/tasks", officer,
                   [&records](const httplib::Request&, httplib::Response& res, const Principal&) {
                     governance::ComplianceTasks tasks(records);
                     if (auto scheduled = tasks.schedule_log_completeness(); !scheduled) {
                       return write_error(res, scheduled.error());
                     }
                     auto overdue = tasks.overdue();
                     if (!overdue) return write_error(res, overdue.error());
                     auto all = tasks.list();
                     if (!all) return write_error(res, all.error());
                     const std::int64_t now = unix_millis(records.clock().now());
                     json out = {{"tasks", json::array()}, {"overdue", overdue->size()}};
                     for (const auto& t : *all)
                       out["tasks"].push_back(governance::task_json(t, now));
                     write_json(res, 200, out);
                   });
}

}  // namespace synthgate::server
