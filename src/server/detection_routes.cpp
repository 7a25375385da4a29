#include "server/detection_routes.hpp"

#include <optional>

#include "core/file_io.hpp"
#include "core/staged_file.hpp"
#include "pipeline/content_detector.hpp"
#include "pipeline/content_propagator.hpp"
#include "pipeline/detection_json.hpp"
#include "server/api_response.hpp"

namespace synthgate::server {

namespace {

// The uploaded file: the multipart part "file", or the whole body.
Result<const UploadedFile*> uploaded_file(const UploadedForm& form) {
  const UploadedFile* file = form.file("file");
  if (file == nullptr) file = form.file("body");
  if (file == nullptr) {
    return fail(ErrorCode::kInvalidArgument, "the multipart body needs a part named \"file\"");
  }
  if (file->size == 0) return fail(ErrorCode::kInvalidArgument, "the uploaded file is empty");
  return file;
}

// A form field, else a query parameter of the same name.
std::optional<std::string> field(const UploadedForm& form, const httplib::Request& req,
                                 const std::string& name) {
  if (auto value = form.field(name)) return value;
  if (req.has_param(name)) return req.get_param_value(name);
  return std::nullopt;
}

Result<bool> flag_field(const UploadedForm& form, const httplib::Request& req,
                        const std::string& name) {
  const auto value = field(form, req, name);
  if (!value || value->empty() || *value == "false" || *value == "0" || *value == "no") {
    return false;
  }
  if (*value == "true" || *value == "1" || *value == "yes") return true;
  return fail(ErrorCode::kInvalidArgument, name + " must be true or false");
}

std::string content_type_of(const UploadedFile& file) {
  return file.content_type.empty() ? "application/octet-stream" : file.content_type;
}

}  // namespace

void add_detection_routes(GatewayServer& server, const DetectionRoutesConfig& config,
                          DetectionRoutesKeys keys, IdGenerator& ids) {
  RouteAccess open_access;  // public: anyone may ask what a file is (Art. 6)
  open_access.max_body_bytes = config.max_upload_bytes;
  // Uploads stream into the spool (server.spool_dir) and the detector reads them from there.
  server.add_upload_route(
      "/v1/detections", open_access,
      [keys](const httplib::Request& req, httplib::Response& res, const Principal&,
             UploadedForm& form) {
        auto upload = uploaded_file(form);
        if (!upload) return write_error(res, upload.error());
        auto declared = flag_field(form, req, "declared_ai");
        if (!declared) return write_error(res, declared.error());
        const Ed25519PublicKey verify_key = keys.metadata_key->public_key();
        auto report = pipeline::detect_file((*upload)->file.path(),
                                            {&verify_key, keys.watermark_key}, {*declared});
        if (!report) return write_error(res, report.error());
        write_json(res, 200, pipeline::detection_json(*report, pipeline::ReportAudience::kPublic));
      });

  RouteAccess service_access{{Role::kService}, config.max_upload_bytes};
  server.add_upload_route(
      "/v1/propagations", service_access,
      [config, keys, &ids](const httplib::Request& req, httplib::Response& res, const Principal&,
                           UploadedForm& form) {
        auto upload = uploaded_file(form);
        if (!upload) return write_error(res, upload.error());
        auto declared = flag_field(form, req, "declared_ai");
        if (!declared) return write_error(res, declared.error());
        pipeline::PropagationRequest request;
        request.declared_ai = *declared;
        request.propagator = field(form, req, "propagator").value_or(config.propagator);
        if (request.propagator.empty()) {
          return write_error(res, Error{ErrorCode::kInvalidArgument,
                                        "propagator is required (or configure "
                                        "detection.propagator)"});
        }
        request.propagate_id =
            field(form, req, "propagate_id").value_or(ids.next_content_id().to_string());
        StagedFile out = StagedFile::in_directory(config.spool_dir, "propagated");
        if (!out.ok()) return write_error(res, Error{ErrorCode::kIo, "cannot make a spool file"});
        const Ed25519PublicKey verify_key = keys.metadata_key->public_key();
        auto outcome = pipeline::propagate_file((*upload)->file.path(), out.path(),
                                                {&verify_key, keys.watermark_key},
                                                *keys.metadata_key, request);
        if (!outcome) return write_error(res, outcome.error());
        auto bytes = read_file(out.path());
        if (!bytes) return write_error(res, bytes.error());
        res.status = 200;
        res.set_header("X-SynthGate-Verdict",
                       std::string(pipeline::verdict_name(outcome->detection.verdict)));
        res.set_header("X-SynthGate-Label", outcome->record.label);
        res.set_header("X-SynthGate-Content-Propagator", outcome->record.content_propagator);
        res.set_header("X-SynthGate-Propagate-Id", outcome->record.propagate_id);
        res.set_content(std::string(as_chars(*bytes)), content_type_of(**upload));
      });
}

}  // namespace synthgate::server
