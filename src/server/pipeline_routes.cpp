#include "server/pipeline_routes.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

#include "audit/time_text.hpp"
#include "core/file_io.hpp"
#include "core/staged_file.hpp"
#include "server/api_response.hpp"
#include "server/json_body.hpp"

namespace synthgate::server {

namespace {

using nlohmann::json;

constexpr std::size_t kStreamPiece = std::size_t{64} << 10;

std::string time_text(std::int64_t ms) {
  return audit::format_time(TimePoint(std::chrono::milliseconds(ms)));
}

json admission_json(const pipeline::AdmissionRecord& a) {
  return {{"admission_id", a.id},
          {"decision", a.decision},
          {"reasons", pipeline::reasons_json(a.reasons)},
          {"user_id", a.user_id},
          {"service", a.service},
          {"modality", a.modality},
          {"consent_ids", a.consent_ids},
          {"created_at", time_text(a.created_ms)},
          {"expires_at", time_text(a.expires_ms)},
          {"audit_index", a.audit_index}};
}

json content_json(const pipeline::ContentRecord& c) {
  json out{{"content_id", c.id},
           {"admission_id", c.admission_id},
           {"user_id", c.user_id},
           {"service", c.service},
           {"modality", c.modality},
           {"format", c.format},
           {"input_sha256", c.input_sha256},
           {"output_sha256", c.output_sha256},
           {"labels", c.labels},
           {"created_at", time_text(c.created_ms)},
           {"audit_index", c.audit_index},
           {"revoked", c.revoked_ms.has_value()}};
  if (c.pdq) out["pdq"] = *c.pdq;
  if (c.watermark_payload) out["watermark_payload"] = *c.watermark_payload;
  if (c.aigc) out["aigc"] = json::parse(*c.aigc, nullptr, false);
  if (c.revoked_ms) {
    out["revoked_at"] = time_text(*c.revoked_ms);
    out["revoke_reason"] = c.revoke_reason;
  }
  return out;
}

// The whole trace a compliance officer needs: content record → admission → user.
Result<json> trace_json(const pipeline::ContentRecord& content, pipeline::PipelineRecords& records,
                        identity::UserRegistry& users) {
  auto admission = records.admission(content.admission_id);
  if (!admission) return tl::unexpected(admission.error());
  json user_out = {{"id", content.user_id}};
  if (auto user = users.get(content.user_id)) {
    user_out["kind"] = identity::user_kind_name(user->kind);
    user_out["state"] = identity::user_state_name(user->state);
    if (user->verified_by) user_out["verified_by"] = *user->verified_by;
  }
  return json{{"content", content_json(content)},
              {"admission", admission_json(*admission)},
              {"user", user_out}};
}

Result<std::vector<pipeline::PersonUse>> persons_of(const json& body) {
  std::vector<pipeline::PersonUse> out;
  if (!body.contains("persons") || body["persons"].is_null()) return out;
  if (!body["persons"].is_array()) {
    return fail(ErrorCode::kInvalidArgument,
                "persons must be an array of {subject_id, modalities}");
  }
  for (const auto& item : body["persons"]) {
    if (!item.is_object()) {
      return fail(ErrorCode::kInvalidArgument,
                  "persons must be an array of {subject_id, modalities}");
    }
    auto subject = required_string(item, "subject_id");
    if (!subject) return tl::unexpected(with_context(subject.error(), "persons"));
    auto modalities = optional_string_list(item, "modalities");
    if (!modalities) return tl::unexpected(with_context(modalities.error(), "persons"));
    out.push_back({*subject, *modalities});
  }
  return out;
}

// The end user: from the body, or the one the API key stands for (which then must agree).
Result<std::string> user_of(const json& body, const Principal& principal) {
  auto given = optional_string(body, "user_id");
  if (!given) return tl::unexpected(given.error());
  if (principal.user_id) {
    if (*given && **given != *principal.user_id) {
      return fail(ErrorCode::kPermissionDenied,
                  "this API key stands for another user than user_id");
    }
    return *principal.user_id;
  }
  if (!*given) return fail(ErrorCode::kInvalidArgument, "user_id is required");
  return **given;
}

// A multipart form's text fields as the JSON object a JSON body would have been.
Result<json> form_object(const UploadedForm& form) {
  if (auto j = form.field("json"); j && form.body_type == "application/json") {
    return parse_json_object(*j);
  }
  json body = json::object();
  for (const auto& [key, value] : form.fields) {
    if (key == "persons") {
      auto persons = json::parse(value, nullptr, false);
      if (persons.is_discarded()) {
        return fail(ErrorCode::kInvalidArgument, "persons must be a JSON array");
      }
      body[key] = persons;
    } else {
      body[key] = value;
    }
  }
  return body;
}

std::string content_type_of(const pipeline::LabelOutcome& outcome) {
  const std::string& f = outcome.format;
  if (outcome.kind == "image") {
    if (f == "png" || f == "png16") return "image/png";
    if (f == "jpeg") return "image/jpeg";
    if (f == "webp") return "image/webp";
    if (f == "gif") return "image/gif";
    if (f == "tiff") return "image/tiff";
    if (f == "bmp") return "image/bmp";
  }
  if (outcome.kind == "text") {
    if (f == "markdown") return "text/markdown; charset=utf-8";
    if (f == "html") return "text/html; charset=utf-8";
    return "text/plain; charset=utf-8";
  }
  if (outcome.kind == "video") {
    if (f.starts_with("mp4") || f.starts_with("mov")) return "video/mp4";
    if (f.starts_with("matroska") || f.starts_with("webm")) return "video/x-matroska";
  }
  if (outcome.kind == "audio") {
    if (f.starts_with("wav")) return "audio/wav";
    if (f.starts_with("mp3")) return "audio/mpeg";
    if (f.starts_with("flac")) return "audio/flac";
    if (f.starts_with("ogg")) return "audio/ogg";
    if (f.starts_with("mov") || f.starts_with("mp4")) return "audio/mp4";
  }
  return "application/octet-stream";
}

void write_refusal(httplib::Response& res, const pipeline::OutputResult& result) {
  const bool blocked = pipeline::decide(result.reasons) == "block";
  write_json(res, 422,
             {{"error",
               {{"code", blocked ? "output_blocked" : "output_held_for_review"},
                {"message", blocked ? "output moderation blocked this content; it is not returned"
                                    : "output moderation holds this content for review"},
                {"reasons", pipeline::reasons_json(result.reasons)},
                {"audit_index", result.audit_index}}}});
}

// Streams a finished file as the response body; the file is removed after the last byte.
void send_file(httplib::Response& res, std::shared_ptr<StagedFile> file, std::size_t size,
               const std::string& content_type) {
  auto stream = std::make_shared<std::ifstream>(file->path(), std::ios::binary);
  res.set_content_provider(
      size, content_type,
      [stream, file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::vector<char> piece(std::min(length, kStreamPiece));
        stream->seekg(static_cast<std::streamoff>(offset));
        stream->read(piece.data(), static_cast<std::streamsize>(piece.size()));
        const auto got = static_cast<std::size_t>(stream->gcount());
        if (got == 0) return false;
        return sink.write(piece.data(), got);
      });
}

}  // namespace

void add_pipeline_routes(GatewayServer& server, pipeline::AdmissionDesk& admissions,
                         pipeline::OutputDesk& outputs, pipeline::PipelineRecords& records,
                         identity::UserRegistry& users, PipelineRouteOptions options) {
  const RouteAccess service{{Role::kService}, options.max_upload_bytes};
  const RouteAccess trace_readers{
      {Role::kComplianceOfficer, Role::kAuditor, Role::kRegulatorReadonly}, 0};

  server.add_upload_route(
      "/v1/admissions", service,
      [&admissions](const httplib::Request&, httplib::Response& res, const Principal& principal,
                    UploadedForm& form) {
        auto body = form_object(form);
        if (!body) return write_error(res, body.error());
        pipeline::AdmissionRequest request;
        auto user = user_of(*body, principal);
        auto service_name = required_string(*body, "service");
        auto modality = required_string(*body, "modality");
        auto prompt = optional_string(*body, "prompt");
        auto persons = persons_of(*body);
        for (const Error* e :
             {user ? nullptr : &user.error(), service_name ? nullptr : &service_name.error(),
              modality ? nullptr : &modality.error(), prompt ? nullptr : &prompt.error(),
              persons ? nullptr : &persons.error()}) {
          if (e != nullptr) return write_error(res, *e);
        }
        request.user_id = *user;
        request.service = *service_name;
        request.modality = *modality;
        request.prompt = prompt->value_or("");
        request.persons = std::move(*persons);
        for (const auto& file : form.files) request.reference_images.push_back(file.file.path());
        request.actor = principal.key_id.empty() ? "service" : principal.key_id;
        auto decided = admissions.admit(request);
        if (!decided) return write_error(res, decided.error());
        write_json(res, 200, admission_json(*decided));
      });

  server.add_upload_route(
      "/v1/outputs", service,
      [&outputs, spool = options.spool_dir](const httplib::Request&, httplib::Response& res,
                                            const Principal& principal, UploadedForm& form) {
        auto body = form_object(form);
        if (!body) return write_error(res, body.error());
        auto admission_id = required_string(*body, "admission_id");
        if (!admission_id) return write_error(res, admission_id.error());
        // The output: a file part ("file"), or JSON {"text": ...} written to a spool file.
        const bool json_text = form.body_type == "application/json";
        std::optional<StagedFile> text_file;
        std::filesystem::path input;
        if (json_text) {
          auto text = required_string(*body, "text");
          if (!text) return write_error(res, text.error());
          text_file.emplace(StagedFile::in_directory(spool, "text"));
          if (!text_file->ok()) {
            return write_error(res, Error{ErrorCode::kIo, "cannot make a spool file"});
          }
          std::ofstream(text_file->path(), std::ios::binary) << *text;
          input = text_file->path();
        } else if (const UploadedFile* file = form.file("file")) {
          input = file->file.path();
        } else {
          return write_error(res, Error{ErrorCode::kInvalidArgument,
                                        "send the output as a multipart part named file, or as "
                                        "JSON {\"admission_id\", \"text\"}"});
        }
        auto labelled = std::make_shared<StagedFile>(StagedFile::in_directory(spool, "labelled"));
        if (!labelled->ok()) {
          return write_error(res, Error{ErrorCode::kIo, "cannot make a spool file"});
        }
        pipeline::OutputRequest request{*admission_id, input,
                                        principal.key_id.empty() ? "service" : principal.key_id};
        auto result = outputs.process(request, labelled->path());
        if (!result) return write_error(res, result.error());
        if (!result->labelled) return write_refusal(res, *result);
        const pipeline::ContentRecord& record = result->record;
        std::string labels;
        for (const auto& l : record.labels) labels += (labels.empty() ? "" : ",") + l;
        res.set_header("X-SynthGate-Content-Id", record.id);
        res.set_header("X-SynthGate-Labels", labels);
        if (record.watermark_payload) {
          res.set_header("X-SynthGate-Watermark-Payload", *record.watermark_payload);
        }
        if (json_text) {
          auto text = read_file(labelled->path());
          if (!text) return write_error(res, text.error());
          return write_json(res, 200,
                            {{"content_id", record.id},
                             {"text", std::string(as_chars(*text))},
                             {"labels", record.labels},
                             {"visible", result->outcome.visible}});
        }
        std::error_code ec;
        const auto size = std::filesystem::file_size(labelled->path(), ec);
        if (ec) return write_error(res, Error{ErrorCode::kIo, "cannot read the labelled file"});
        send_file(res, labelled, static_cast<std::size_t>(size), content_type_of(result->outcome));
      });

  server.add_route(
      "get", "/v1/contents/{id}", trace_readers,
      [&records, &users](const httplib::Request& req, httplib::Response& res, const Principal&) {
        auto content = records.content(req.matches[1].str());
        if (!content) return write_error(res, content.error());
        auto trace = trace_json(*content, records, users);
        if (!trace) return write_error(res, trace.error());
        write_json(res, 200, *trace);
      });

  server.add_route(
      "get", "/v1/contents", trace_readers,
      [&records, &users](const httplib::Request& req, httplib::Response& res, const Principal&) {
        const std::string payload = req.get_param_value("watermark_payload");
        if (payload.size() != 16 ||
            payload.find_first_not_of("0123456789abcdef") != std::string::npos) {
          return write_error(res, Error{ErrorCode::kInvalidArgument,
                                        "watermark_payload is 16 lowercase hex digits"});
        }
        auto found = records.contents_by_watermark(payload);
        if (!found) return write_error(res, found.error());
        json traces = json::array();
        for (const auto& content : *found) {
          auto trace = trace_json(content, records, users);
          if (!trace) return write_error(res, trace.error());
          traces.push_back(std::move(*trace));
        }
        write_json(res, 200, {{"contents", traces}});
      });
}

}  // namespace synthgate::server
