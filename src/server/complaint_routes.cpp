#include "server/complaint_routes.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>

#include "core/digest.hpp"
#include "core/encoding.hpp"
#include "core/file_io.hpp"
#include "moderation/image_moderation.hpp"
#include "pipeline/content_detector.hpp"
#include "server/api_response.hpp"
#include "server/complaint_pages.hpp"
#include "server/complaint_report.hpp"
#include "server/json_body.hpp"

namespace synthgate::server {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxDescription = 5000;
constexpr std::size_t kMaxContact = 200;
constexpr std::size_t kMaxUrl = 2000;

// The intake's shared state: the rate buckets and where attachments go.
struct Intake {
  RateLimiter limiter;
  KeyRate per_address;
  KeyRate global;
  ComplaintsConfig config;
  explicit Intake(const Clock& clock, ComplaintsConfig c)
      : limiter(clock),
        per_address{c.per_address_per_hour / 3600.0, c.per_address_per_hour},
        global{c.global_per_hour / 3600.0, c.global_per_hour},
        config(std::move(c)) {}
};

bool wants_html(const UploadedForm& form, const httplib::Request& req) {
  if (form.field("answer") == std::optional<std::string>("html")) return true;
  const std::string accept = req.get_header_value("Accept");
  return accept.find("text/html") != std::string::npos;
}

void write_html(httplib::Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  res.set_content(html, "text/html; charset=utf-8");
}

// The kinds a complaint may attach, read from the bytes.
bool accepted_kind(std::string_view kind) {
  return kind == "image" || kind == "video" || kind == "audio" || kind == "document";
}

// Keeps the attachment under its SHA-256 in the private directory (0600 in a 0700 directory).
// Returns whether this call created it, so that a refused intake can take it back.
Result<bool> keep_attachment(const std::filesystem::path& source, const std::filesystem::path& dir,
                             const std::string& sha256) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(ErrorCode::kIo, "cannot create complaints.attachments_dir");
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  const auto target = dir / sha256;
  if (std::filesystem::exists(target, ec)) return false;
  std::filesystem::copy_file(source, target, ec);
  if (ec) return fail(ErrorCode::kIo, "cannot store the attachment");
  std::filesystem::permissions(
      target, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace, ec);
  return true;
}

// Reads what the attachment is and whom it traces to.
Status examine_attachment(const ComplaintRoutesContext& ctx, const UploadedFile& file,
                          const ComplaintsConfig& config, complaints::NewComplaint& out) {
  if (file.size > config.max_attachment_bytes) {
    return fail(ErrorCode::kPayloadTooLarge,
                "the attachment is over " + std::to_string(config.max_attachment_bytes) + " bytes");
  }
  std::optional<Ed25519PublicKey> verify;
  if (ctx.metadata_key) verify = ctx.metadata_key->public_key();
  auto report =
      pipeline::detect_file(file.file.path(), {verify ? &*verify : nullptr, ctx.watermark_key});
  if (!report) {
    if (report.error().code == ErrorCode::kUnsupportedMediaType ||
        report.error().code == ErrorCode::kInvalidArgument) {
      return fail(ErrorCode::kUnsupportedMediaType,
                  "the attachment is not an image, video, audio file or document we can read");
    }
    return tl::unexpected(report.error());
  }
  if (!accepted_kind(report->kind)) {
    return fail(ErrorCode::kUnsupportedMediaType,
                "attachments are images, video, audio or documents, not " + report->kind);
  }
  auto bytes = read_file(file.file.path(), config.max_attachment_bytes);
  if (!bytes) return tl::unexpected(bytes.error());
  out.attachment_sha256 = hex_encode(sha256(*bytes));
  out.attachment_type = report->format;
  if (report->kind == "image") {
    if (auto pdq = moderation::pdq_of_image(*bytes)) out.attachment_pdq = pdq->hash.hex();
  }
  // The trace: the metadata label's ProduceID, else the watermark's payload.
  std::optional<pipeline::ContentRecord> content;
  if (auto id = report->produce_id()) {
    if (auto found = ctx.contents.content(*id)) content = *found;
  }
  if (!content) {
    if (auto payload = report->watermark_payload_hex()) {
      auto found = ctx.contents.contents_by_watermark(*payload);
      if (found && found->size() == 1) content = found->front();
    }
  }
  if (content) {
    out.content_id = content->id;
    out.admission_id = content->admission_id;
    out.user_id = content->user_id;
  }
  return {};
}

Result<complaints::NewComplaint> read_intake(const UploadedForm& form) {
  complaints::NewComplaint n;
  n.category = form.field("category").value_or("");
  if (n.category.empty()) return fail(ErrorCode::kInvalidArgument, "category is required");
  if (!complaints::is_category(n.category)) {
    return fail(ErrorCode::kInvalidArgument, "unknown category \"" + n.category + "\"");
  }
  n.description = form.field("description").value_or("");
  if (n.description.empty()) return fail(ErrorCode::kInvalidArgument, "description is required");
  if (n.description.size() > kMaxDescription) {
    return fail(ErrorCode::kInvalidArgument, "description is over 5000 bytes");
  }
  n.url = form.field("url").value_or("");
  if (n.url.size() > kMaxUrl ||
      (!n.url.empty() && !n.url.starts_with("http://") && !n.url.starts_with("https://"))) {
    return fail(ErrorCode::kInvalidArgument, "url must be an http(s) address");
  }
  n.contact = form.field("contact").value_or("");
  if (n.contact.size() > kMaxContact) {
    return fail(ErrorCode::kInvalidArgument, "contact is over 200 bytes");
  }
  return n;
}

std::int64_t now_ms(const Clock& clock) {
  return unix_millis(clock.now());
}

void add_public_routes(GatewayServer& server, const ComplaintRoutesContext& ctx,
                       const std::shared_ptr<Intake>& intake) {
  RouteAccess open_access;
  open_access.max_body_bytes = intake->config.max_attachment_bytes + (std::size_t{64} << 10);
  server.add_upload_route(
      "/v1/complaints", open_access,
      [ctx, intake](const httplib::Request& req, httplib::Response& res, const Principal&,
                    UploadedForm& form) {
        const bool html = wants_html(form, req);
        const auto refuse = [&](const Error& error) {
          if (!html) return write_error(res, error);
          write_error(res, error);  // for the status
          write_html(res, res.status, complaint_refused_page(error.message));
        };
        // Limits first, so that a flood costs no detection and stores nothing.
        for (const auto& [bucket, rate, who] :
             {std::tuple{"address:" + req.remote_addr, intake->per_address, "this address"},
              std::tuple{std::string("global"), intake->global, "everyone"}}) {
          const auto decision = intake->limiter.take(bucket, rate);
          if (!decision.allowed) {
            res.set_header("Retry-After", std::to_string(decision.retry_after.count()));
            return refuse(Error{ErrorCode::kResourceExhausted,
                                std::string("too many complaints from ") + who + "; retry after " +
                                    std::to_string(decision.retry_after.count()) + " s"});
          }
        }
        auto n = read_intake(form);
        if (!n) return refuse(n.error());
        const UploadedFile* file = form.file("file");
        if (file != nullptr && file->size == 0) file = nullptr;  // a form sent with no file
        if (file != nullptr) {
          if (auto ok = examine_attachment(ctx, *file, intake->config, *n); !ok) {
            return refuse(ok.error());
          }
        }
        bool created = false;
        if (file != nullptr) {
          auto kept = keep_attachment(file->file.path(), intake->config.attachments_dir,
                                      *n->attachment_sha256);
          if (!kept) return refuse(kept.error());
          created = *kept;
        }
        auto received =
            ctx.records.receive(*n, std::chrono::hours(intake->config.duplicate_window_hours));
        if (!received) {
          if (created) {
            std::error_code ec;
            std::filesystem::remove(intake->config.attachments_dir / *n->attachment_sha256, ec);
          }
          return refuse(received.error());
        }
        // A merged duplicate is someone else's complaint: its contact is not told of it.
        if (ctx.notifier && !received->merged)
          ctx.notifier->notify(received->complaint, "received");
        if (html) {
          return write_html(res, 201,
                            complaint_received_page(received->complaint, received->merged));
        }
        json out = complaint_public_json(received->complaint);
        out["merged"] = received->merged;
        out["status_url"] = "/v1/complaints/" + received->complaint.tracking_code;
        write_json(res, 201, out);
      });

  server.add_route("GET", "/v1/complaints/{tracking_code}",
                   [ctx](const httplib::Request& req, httplib::Response& res) {
                     auto c = ctx.records.by_tracking_code(req.matches[1].str());
                     if (!c) return write_error(res, c.error());
                     write_json(res, 200, complaint_public_json(*c));
                   });
  const std::size_t max_attachment = intake->config.max_attachment_bytes;
  server.add_route("GET", "/complaints",
                   [max_attachment](const httplib::Request&, httplib::Response& res) {
                     write_html(res, 200, complaint_form_page(max_attachment));
                   });
  server.add_route("GET", "/complaints/policy",
                   [ctx](const httplib::Request&, httplib::Response& res) {
                     write_html(res, 200, complaint_policy_page(ctx.limits));
                   });
  server.add_route("GET", "/complaints/stats",
                   [ctx](const httplib::Request&, httplib::Response& res) {
                     auto stats = ctx.records.stats();
                     if (!stats) return write_error(res, stats.error());
                     write_html(res, 200, complaint_stats_page(*stats));
                   });
}

Result<std::string> body_text(const json& body, const char* key, bool required) {
  if (required) return required_string(body, key);
  auto v = optional_string(body, key);
  if (!v) return tl::unexpected(v.error());
  return v->value_or("");
}

void add_staff_routes(GatewayServer& server, const ComplaintRoutesContext& ctx) {
  const RouteAccess staff{{Role::kComplianceOfficer}};
  server.add_route(
      "GET", "/v1/complaints", staff,
      [ctx](const httplib::Request& req, httplib::Response& res, const Principal&) {
        complaints::ComplaintFilter filter;
        if (req.has_param("state")) {
          auto state = complaints::parse_state(req.get_param_value("state"));
          if (!state) return write_error(res, state.error());
          filter.state = *state;
        }
        if (req.has_param("category")) filter.category = req.get_param_value("category");
        if (req.has_param("assignee")) filter.assignee = req.get_param_value("assignee");
        if (req.has_param("overdue")) {
          const auto v = req.get_param_value("overdue");
          if (v != "true" && v != "false") {
            return write_error(res, Error{ErrorCode::kInvalidArgument, "overdue is true or false"});
          }
          filter.overdue_only = v == "true";
        }
        if (req.has_param("limit")) {
          try {
            filter.limit =
                std::clamp<std::size_t>(std::stoul(req.get_param_value("limit")), 1, 1000);
          } catch (const std::exception&) {
            return write_error(res, Error{ErrorCode::kInvalidArgument, "limit is a number"});
          }
        }
        auto found = ctx.records.list(filter, ctx.limits);
        if (!found) return write_error(res, found.error());
        json list = json::array();
        const auto now = now_ms(ctx.clock);
        for (const auto& c : *found) list.push_back(complaint_staff_json(c, ctx.limits, now));
        write_json(res, 200, {{"complaints", list}});
      });

  const auto actor_of = [](const Principal& p) { return p.key_id.empty() ? "staff" : p.key_id; };

  server.add_route(
      "GET", "/v1/complaints/cases/{id}", staff,
      [ctx, actor_of](const httplib::Request& req, httplib::Response& res, const Principal& p) {
        const std::string id = req.matches[1].str();
        auto c = ctx.records.get(id);
        if (!c) return write_error(res, c.error());
        auto contact = ctx.records.contact(*c, actor_of(p), "complaint handling");
        if (!contact) return write_error(res, contact.error());
        c->contact = std::move(*contact);
        auto events = ctx.records.events(id);
        if (!events) return write_error(res, events.error());
        json out = complaint_staff_json(*c, ctx.limits, now_ms(ctx.clock));
        out["events"] = json::array();
        for (const auto& e : *events) out["events"].push_back(complaint_event_json(e));
        write_json(res, 200, out);
      });

  server.add_route(
      "POST", "/v1/complaints/cases/{id}/assign", staff,
      [ctx, actor_of](const httplib::Request& req, httplib::Response& res, const Principal& p) {
        auto body = parse_json_object(req.body);
        if (!body) return write_error(res, body.error());
        auto assignee = body_text(*body, "assignee", true);
        if (!assignee) return write_error(res, assignee.error());
        auto c = ctx.records.assign(req.matches[1].str(), *assignee, actor_of(p));
        if (!c) return write_error(res, c.error());
        write_json(res, 200, complaint_staff_json(*c, ctx.limits, now_ms(ctx.clock)));
      });

  server.add_route(
      "POST", "/v1/complaints/cases/{id}/transition", staff,
      [ctx, actor_of](const httplib::Request& req, httplib::Response& res, const Principal& p) {
        auto body = parse_json_object(req.body);
        if (!body) return write_error(res, body.error());
        auto to = body_text(*body, "to", true);
        if (!to) return write_error(res, to.error());
        auto state = complaints::parse_state(*to);
        if (!state) return write_error(res, state.error());
        auto note = body_text(*body, "note", false);
        if (!note) return write_error(res, note.error());
        auto c = ctx.records.transition(req.matches[1].str(), *state, actor_of(p), *note);
        if (!c) return write_error(res, c.error());
        if (ctx.notifier) {
          // The complainant hears of the change at the address they left, opened for that.
          auto contact = ctx.records.contact(*c, actor_of(p), "notify the complainant");
          if (!contact) return write_error(res, contact.error());
          c->contact = std::move(*contact);
          ctx.notifier->notify(*c, complaints::state_name(c->state));
        }
        write_json(res, 200, complaint_staff_json(*c, ctx.limits, now_ms(ctx.clock)));
      });

  server.add_route(
      "POST", "/v1/complaints/cases/{id}/notes", staff,
      [ctx, actor_of](const httplib::Request& req, httplib::Response& res, const Principal& p) {
        auto body = parse_json_object(req.body);
        if (!body) return write_error(res, body.error());
        auto text = body_text(*body, "text", true);
        if (!text) return write_error(res, text.error());
        auto e = ctx.records.add_note(req.matches[1].str(), *text, actor_of(p));
        if (!e) return write_error(res, e.error());
        write_json(res, 201, complaint_event_json(*e));
      });

  server.add_route(
      "POST", "/v1/complaints/cases/{id}/actions", staff,
      [ctx, actor_of](const httplib::Request& req, httplib::Response& res, const Principal& p) {
        auto body = parse_json_object(req.body);
        if (!body) return write_error(res, body.error());
        auto action = body_text(*body, "action", true);
        if (!action) return write_error(res, action.error());
        auto reason = body_text(*body, "reason", false);
        if (!reason) return write_error(res, reason.error());
        const std::string id = req.matches[1].str();
        Result<complaints::ComplaintEvent> done =
            fail(ErrorCode::kInvalidArgument,
                 "action is takedown, suspend_user, correct_label or report_to_authorities");
        if (*action == "takedown") done = ctx.desk.take_down(id, *reason, actor_of(p));
        if (*action == "suspend_user") done = ctx.desk.suspend_user(id, *reason, actor_of(p));
        if (*action == "correct_label") done = ctx.desk.correct_label(id, *reason, actor_of(p));
        if (*action == "report_to_authorities") {
          auto format = body_text(*body, "format", false);
          if (!format) return write_error(res, format.error());
          if (!format->empty() && *format != "json" && *format != "pdf") {
            return write_error(res, Error{ErrorCode::kInvalidArgument, "format is json or pdf"});
          }
          auto package = ctx.desk.authorities_package(id, actor_of(p));
          if (!package) return write_error(res, package.error());
          if (*format != "pdf") return write_json(res, 200, *package);
          auto pdf = reports::render_pdf(authorities_report(*package));
          if (!pdf) return write_error(res, pdf.error());
          res.status = 200;
          res.set_header("Content-Disposition",
                         "attachment; filename=\"complaint-" +
                             package->at("complaint").value("tracking_code", "case") + ".pdf\"");
          return res.set_content(std::string(as_chars(*pdf)), "application/pdf");
        }
        if (!done) return write_error(res, done.error());
        write_json(res, 201, complaint_event_json(*done));
      });
}

}  // namespace

void add_complaint_routes(GatewayServer& server, const ComplaintRoutesContext& context,
                          const ComplaintsConfig& config) {
  auto intake = std::make_shared<Intake>(context.clock, config);
  add_public_routes(server, context, intake);
  add_staff_routes(server, context);
}

}  // namespace synthgate::server
