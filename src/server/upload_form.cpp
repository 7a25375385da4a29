#include "server/upload_form.hpp"

#include <fstream>
#include <memory>

namespace synthgate::server {

namespace {

constexpr std::size_t kMaxJsonBytes = std::size_t{16} << 20;

std::string media_type(const std::string& header) {
  std::string type = header.substr(0, header.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

// Where the bytes of the part being received go.
struct PartSink {
  std::string* text = nullptr;  // a text field
  std::size_t text_cap = 0;
  UploadedFile* file = nullptr;
  std::unique_ptr<std::ofstream> stream;
};

}  // namespace

const UploadedFile* UploadedForm::file(std::string_view name) const {
  for (const auto& f : files)
    if (f.field == name) return &f;
  return nullptr;
}

std::optional<std::string> UploadedForm::field(std::string_view name) const {
  auto it = fields.find(std::string(name));
  if (it == fields.end()) return std::nullopt;
  return it->second;
}

Result<UploadedForm> receive_upload(const httplib::Request& req,
                                    const httplib::ContentReader& reader,
                                    const UploadLimits& limits,
                                    const std::filesystem::path& spool_dir) {
  UploadedForm form;
  form.body_type = media_type(req.get_header_value("Content-Type"));
  std::size_t total = 0;
  std::optional<Error> failure;
  PartSink sink;
  // The files vector must not move while a part is written: reserve it up front.
  form.files.reserve(limits.max_files);

  const auto open_file = [&](std::string field, std::string filename,
                             std::string content_type) -> bool {
    if (form.files.size() >= limits.max_files) {
      failure = Error{ErrorCode::kInvalidArgument,
                      "at most " + std::to_string(limits.max_files) + " files per request"};
      return false;
    }
    StagedFile staged = StagedFile::in_directory(spool_dir, "upload");
    if (!staged.ok()) {
      failure = Error{ErrorCode::kIo, "cannot make a spool file in " + spool_dir.string()};
      return false;
    }
    form.files.push_back(UploadedFile{std::move(field), std::move(filename),
                                      std::move(content_type), std::move(staged), 0});
    sink = PartSink{nullptr, 0, &form.files.back(),
                    std::make_unique<std::ofstream>(form.files.back().file.path(),
                                                    std::ios::binary | std::ios::trunc)};
    if (!*sink.stream) {
      failure = Error{ErrorCode::kIo, "cannot write a spool file"};
      return false;
    }
    return true;
  };

  const auto receive = [&](const char* data, std::size_t length) -> bool {
    total += length;
    if (total > limits.max_bytes) {
      failure =
          Error{ErrorCode::kPayloadTooLarge, "the body is larger than this route's limit of " +
                                                 std::to_string(limits.max_bytes) + " bytes"};
      return false;
    }
    if (sink.text != nullptr) {
      const std::size_t cap = sink.text_cap;
      if (sink.text->size() + length > cap) {
        failure = Error{ErrorCode::kPayloadTooLarge,
                        "a text field is larger than " + std::to_string(cap) + " bytes"};
        return false;
      }
      sink.text->append(data, length);
      return true;
    }
    if (sink.file != nullptr) {
      sink.stream->write(data, static_cast<std::streamsize>(length));
      sink.file->size += length;
      if (!*sink.stream) {
        failure = Error{ErrorCode::kIo, "cannot write a spool file (disk full?)"};
        return false;
      }
    }
    return true;
  };

  bool ok = false;
  if (req.is_multipart_form_data()) {
    ok = reader(
        [&](const httplib::MultipartFormData& part) {
          if (sink.stream) sink.stream->close();
          sink = PartSink{};
          if (part.name.empty()) {
            failure = Error{ErrorCode::kInvalidArgument, "a form part has no name"};
            return false;
          }
          if (!part.filename.empty() ||
              (!part.content_type.empty() && media_type(part.content_type) != "text/plain")) {
            return open_file(part.name, part.filename, part.content_type);
          }
          sink.text = &form.fields[part.name];
          sink.text_cap = limits.max_field_bytes;
          return true;
        },
        receive);
  } else if (form.body_type == "application/json") {
    sink.text = &form.fields["json"];
    sink.text_cap = kMaxJsonBytes;
    ok = reader(receive);
  } else {
    ok = open_file("body", "", form.body_type) && reader(receive);
  }
  if (sink.stream) sink.stream->close();
  if (failure) return tl::unexpected(*failure);
  if (!ok) return fail(ErrorCode::kInvalidArgument, "the request body could not be read");
  return form;
}

}  // namespace synthgate::server
