#include "server/detection_routes.hpp"

#include <optional>

#include "core/file_io.hpp"
#include "core/temp_file.hpp"
#include "pipeline/content_detector.hpp"
#include "pipeline/content_propagator.hpp"
#include "pipeline/detection_json.hpp"
#include "server/api_response.hpp"

namespace synthgate::server {

namespace {

// One uploaded file and the form fields (or query parameters) beside it.
struct Upload {
  const std::string* bytes = nullptr;  // points into the request
  std::string content_type;
  const httplib::Request* req = nullptr;

  // A multipart field, else a query parameter of the same name.
  std::optional<std::string> field(const std::string& name) const {
    if (req->is_multipart_form_data() && req->has_file(name)) {
      return req->get_file_value(name).content;
    }
    if (req->has_param(name)) return req->get_param_value(name);
    return std::nullopt;
  }
};

Result<Upload> read_upload(const httplib::Request& req) {
  Upload upload;
  upload.req = &req;
  if (req.is_multipart_form_data()) {
    const auto it = req.files.find("file");
    if (it == req.files.end()) {
      return fail(ErrorCode::kInvalidArgument, "the multipart body needs a part named \"file\"");
    }
    upload.bytes = &it->second.content;
    upload.content_type = it->second.content_type;
  } else {
    upload.bytes = &req.body;
    upload.content_type = req.get_header_value("Content-Type");
  }
  if (upload.bytes->empty()) return fail(ErrorCode::kInvalidArgument, "the uploaded file is empty");
  if (upload.content_type.empty()) upload.content_type = "application/octet-stream";
  return upload;
}

Result<bool> flag_field(const Upload& upload, const std::string& name) {
  const auto value = upload.field(name);
  if (!value || value->empty() || *value == "false" || *value == "0" || *value == "no") {
    return false;
  }
  if (*value == "true" || *value == "1" || *value == "yes") return true;
  return fail(ErrorCode::kInvalidArgument, name + " must be true or false");
}

}  // namespace

void add_detection_routes(GatewayServer& server, const DetectionRoutesConfig& config,
                          DetectionRoutesKeys keys, IdGenerator& ids) {
  RouteAccess open_access;  // public: anyone may ask what a file is (Art. 6)
  open_access.max_body_bytes = config.max_upload_bytes;
  server.add_route(
      "post", "/v1/detections", open_access,
      [config, keys](const httplib::Request& req, httplib::Response& res, const Principal&) {
        auto upload = read_upload(req);
        if (!upload) return write_error(res, upload.error());
        auto declared = flag_field(*upload, "declared_ai");
        if (!declared) return write_error(res, declared.error());
        // The detector reads files (streaming for large media): the upload waits in a
        // private temporary file, removed when the request ends.
        auto file =
            TempFile::holding(as_bytes(*upload->bytes), config.temp_dir, "synthgate-detect-");
        if (!file) return write_error(res, file.error());
        const Ed25519PublicKey verify_key = keys.metadata_key->public_key();
        auto report =
            pipeline::detect_file(file->path(), {&verify_key, keys.watermark_key}, {*declared});
        if (!report) return write_error(res, report.error());
        write_json(res, 200, pipeline::detection_json(*report, pipeline::ReportAudience::kPublic));
      });

  RouteAccess service_access{{Role::kService}, config.max_upload_bytes};
  server.add_route(
      "post", "/v1/propagations", service_access,
      [config, keys, &ids](const httplib::Request& req, httplib::Response& res, const Principal&) {
        auto upload = read_upload(req);
        if (!upload) return write_error(res, upload.error());
        auto declared = flag_field(*upload, "declared_ai");
        if (!declared) return write_error(res, declared.error());
        pipeline::PropagationRequest request;
        request.declared_ai = *declared;
        request.propagator = upload->field("propagator").value_or(config.propagator);
        if (request.propagator.empty()) {
          return write_error(res, Error{ErrorCode::kInvalidArgument,
                                        "propagator is required (or configure "
                                        "detection.propagator)"});
        }
        request.propagate_id =
            upload->field("propagate_id").value_or(ids.next_content_id().to_string());
        auto in =
            TempFile::holding(as_bytes(*upload->bytes), config.temp_dir, "synthgate-propagate-in-");
        if (!in) return write_error(res, in.error());
        auto out = TempFile::create(config.temp_dir, "synthgate-propagate-out-");
        if (!out) return write_error(res, out.error());
        const Ed25519PublicKey verify_key = keys.metadata_key->public_key();
        auto outcome =
            pipeline::propagate_file(in->path(), out->path(), {&verify_key, keys.watermark_key},
                                     *keys.metadata_key, request);
        if (!outcome) return write_error(res, outcome.error());
        auto bytes = read_file(out->path());
        if (!bytes) return write_error(res, bytes.error());
        res.status = 200;
        res.set_header("X-SynthGate-Verdict",
                       std::string(pipeline::verdict_name(outcome->detection.verdict)));
        res.set_header("X-SynthGate-Label", outcome->record.label);
        res.set_header("X-SynthGate-Content-Propagator", outcome->record.content_propagator);
        res.set_header("X-SynthGate-Propagate-Id", outcome->record.propagate_id);
        res.set_content(std::string(as_chars(*bytes)), upload->content_type);
      });
}

}  // namespace synthgate::server
